// SCRATCH (not committed): in-process send throughput.
import { buildTestApp } from '../../testing/app.ts';
import { quickClients, text } from '../conversations/messaging.testing.ts';

const dialect = (process.argv[2] ?? 'sqlite') as 'sqlite' | 'postgres';
const app = await buildTestApp({ dialect });
const users = await quickClients(app, 100);
const targets: string[] = [];
for (let i = 0; i < users.length; i++) {
  const c = await users[i]!.call('conversations.openDirect', { userId: users[(i + 1) % users.length]!.userId });
  targets.push(c.id);
}
let acked = 0;
let running = true;
const window = Number(process.argv[3] ?? 4);
async function loop(i: number) {
  let n = 0;
  while (running) {
    await users[i]!.call('messages.send', text(targets[i]!, `bench ${n++}`));
    acked++;
  }
}
const t0 = performance.now();
const loops = [];
for (let i = 0; i < users.length; i++) for (let w = 0; w < window; w++) loops.push(loop(i));
await new Promise((r) => setTimeout(r, 5000));
running = false;
await Promise.all(loops);
const s = (performance.now() - t0) / 1000;
const st = app.services.messages.commitStats();
console.log(JSON.stringify({ dialect, perSecond: Math.round(acked / s), ...st, avgBatch: st.committed / st.transactions }));
await app.close();
