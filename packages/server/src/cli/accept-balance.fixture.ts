// A cluster worker for accept-balance.process.test.ts: an HTTP server on the shared port whose
// accepts are gated at ZX_TEST_ACCEPT_LIMIT open connections; every answer names the worker.
import { createServer } from 'node:http';
import { createLogger } from '../platform/logger.ts';
import { gateAccepts } from './accept-balance.ts';

const nodeId = process.env.ZX_NODE_ID ?? 'unnamed';
const server = createServer((_req, res) => res.end(nodeId));
server.listen(0, '127.0.0.1', 4096, () => {
  const gate = gateAccepts(server, {
    hardLimit: Number(process.env.ZX_TEST_ACCEPT_LIMIT),
    log: createLogger('silent'),
  });
  if (!gate) process.exit(3);
});
process.once('SIGTERM', () => process.exit(0));
