// A cluster worker for workers.test.ts: the gateway of start.ts's worker path, on the IpcBroker the
// primary relays, with the fake authenticator (the real modules are not needed to test routing).
import { createServer } from 'node:http';
import { createGateway } from '../gateway/index.ts';
import { fakeAuthenticator, testGatewayConfig, testRegistry } from '../gateway/testing.ts';
import { IpcBroker } from '../platform/broker/ipc.ts';
import { createLogger } from '../platform/logger.ts';
import { Metrics } from '../platform/metrics.ts';

const nodeId = process.env.ZX_NODE_ID ?? 'unnamed';
const config = testGatewayConfig({ nodeId });
const broker = IpcBroker.fromProcess();
const platform = { config, log: createLogger('silent'), broker, metrics: new Metrics(), nodeId };
const ops = testRegistry();
const gateway = createGateway(
  { platform, ops, authenticator: () => fakeAuthenticator },
  { nodeHeartbeatMs: 200, closeGraceMs: 500, shutdownGraceMs: 1000 },
);
// Test hook: `conversations.typing` emits typing.v1 to the user named by conversationId.
ops.register('conversations.typing', async (req, ctx) => {
  gateway.events.emit([req.conversationId], 'typing.v1', {
    conversationId: req.conversationId,
    userId: ctx.principal!.userId,
    typing: req.typing,
  });
  return { ok: true };
});
const server = createServer((_req, res) => res.end(JSON.stringify({ node: nodeId })));
gateway.attach(server);
server.listen(0, '127.0.0.1');
process.once('SIGTERM', () => {
  void gateway
    .close()
    .then(() => broker.close())
    .then(() => process.exit(0));
});
