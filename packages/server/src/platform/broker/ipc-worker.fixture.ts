// A forked child for ipc.test.ts: an IpcBroker over the real process channel that answers `echo.<x>`
// on `reply.<x>` and tells the parent when its subscription is in place.
import { IpcBroker } from './ipc.ts';

const broker = IpcBroker.fromProcess();
broker.subscribe('echo.*', (payload, subject) => {
  broker.publish(`reply.${subject.split('.')[1]}`, { from: process.pid, payload });
});
await broker.flush();
process.send?.({ ready: true });
process.on('message', (m) => {
  if ((m as { stop?: boolean }).stop) void broker.close().then(() => process.disconnect());
});
