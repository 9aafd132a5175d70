import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * How often the event-loop lag monitor samples. prom-client's default, 10 ms, wakes every process
 * 100 times a second even when it has nothing to do: with 32 cluster workers that was 3,200 wake-ups
 * a second and 40% of an idle node's CPU (issue 9). Lags that matter (tens of ms and more) still
 * show at 100 ms. Node's monitor records whole intervals, so the `nodejs_eventloop_lag_{min,mean,p50,
 * p90,p99,max}_seconds` series read 0.1 s plus the lag (they read 0.01 s plus the lag before);
 * `nodejs_eventloop_lag_seconds` is measured apart and is the lag alone.
 */
const EVENT_LOOP_SAMPLE_MS = 100;

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
  readonly wsClosedByServer = new Counter({
    name: 'zx_ws_closed_by_server_total',
    help: 'Connections the gateway closed, by reason (heartbeat_timeout, auth_timeout, slow_consumer, ...)',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  readonly wsCatchUpHints = new Counter({
    name: 'zx_ws_catch_up_hints_total',
    help:
      'Connections told to catch up (sync.hint.v1) because pushes from other nodes were lost, by scope ' +
      '(users: the recipients of the lost pushes; all: every connection of the node)',
    labelNames: ['scope'] as const,
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
  readonly sendClaims = new Counter({
    name: 'zx_send_claims_total',
    help:
      'PostgreSQL: conversations of send batches by how their seqs were taken (claimed: in one ' +
      'statement at the seq expected; missed: the expected seq was stale or unknown, tried again; ' +
      'transaction: left to a transaction)',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: EVENT_LOOP_SAMPLE_MS });
  }
}
