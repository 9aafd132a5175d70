import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Prometheus metrics of one process; exposed at /metrics. */
export class Metrics {
  readonly registry = new Registry();
  readonly httpRequests = new Counter({
    name: 'zx_http_requests_total',
    help: 'HTTP requests by route and status',
    labelNames: ['route', 'status'] as const,
    registers: [this.registry],
  });
  readonly wsConnections = new Gauge({
    name: 'zx_ws_connections',
    help: 'Open WebSocket connections',
    registers: [this.registry],
  });
  readonly wsFramesIn = new Counter({
    name: 'zx_ws_frames_in_total',
    help: 'Frames received',
    registers: [this.registry],
  });
  readonly wsSlowConsumers = new Counter({
    name: 'zx_ws_slow_consumers_total',
    help: 'Connections dropped as slow consumers',
    registers: [this.registry],
  });
  readonly messagesPersisted = new Counter({
    name: 'zx_messages_persisted_total',
    help: 'Messages committed',
    registers: [this.registry],
  });
  readonly commitBatchSize = new Histogram({
    name: 'zx_commit_batch_size',
    help: 'Messages per group commit',
    buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }
}
