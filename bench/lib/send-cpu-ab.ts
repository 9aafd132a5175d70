import type { MessageContent } from '@zhixin/protocol';
import type { App } from '../../packages/server/src/app.ts';
import { upload } from '../../packages/server/src/modules/filerefs/filerefs.testing.ts';
import { buildTestApp } from '../../packages/server/src/testing/app.ts';
import { mustCall, registerUser, type TestUser } from '../../packages/server/src/testing/factories.ts';

/** One server in this process with encryption at rest on or off, a sender, a direct chat, a file. */
interface Rig {
  app: App;
  sender: TestUser;
  conversationId: string;
  file: MessageContent;
}

async function rig(encryptAtRest: boolean): Promise<Rig> {
  const app = await buildTestApp({
    config: { security: { kdfLogN: 10, encryptAtRest, allowDevSecrets: true } },
  });
  const base = `http://127.0.0.1:${await app.listen()}`;
  const [sender, peer] = [await registerUser(app), await registerUser(app)];
  const { id } = await mustCall(app, 'conversations.openDirect', { userId: peer.userId }, sender.accessToken);
  const pdf = await upload(app, base, sender, Buffer.from(`%PDF-1.4\n${' '.repeat(4096)}`), {
    filename: '季度报告.pdf',
    filetype: 'application/pdf',
  });
  const file: MessageContent = {
    kind: 'file',
    fileId: pdf.id,
    name: '季度报告.pdf',
    mime: pdf.mime,
    size: pdf.size,
  };
  return { app, sender, conversationId: id, file };
}

let clientSeq = 0;

/**
 * CPU (user + system, µs) of this process per send, over `count` sends with `inFlight` at a time
 * through the messages service (no gateway, no socket: the part of a send encryption touches).
 * Four in five carry a file (the `messages` mix), the fifth is text.
 */
async function cpuPerSend(r: Rig, count: number, inFlight: number): Promise<number> {
  const caller = { userId: r.sender.userId, sessionId: r.sender.sessionId };
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const k = next++;
      const content: MessageContent =
        k % 5 === 4 ? { kind: 'text', text: `压测消息 bench message ${k}` } : r.file;
      await r.app.services.messages.send(caller, {
        conversationId: r.conversationId,
        clientId: `ab-${process.pid}-${clientSeq++}`,
        content,
      });
    }
  };
  const start = process.cpuUsage();
  await Promise.all(Array.from({ length: inFlight }, worker));
  const used = process.cpuUsage(start);
  return Math.round((used.user + used.system) / count);
}

/**
 * The send path's CPU with encryption on and off, measured in one process: both servers share its
 * JIT, heap and moment, and `blocks` pairs of blocks alternate which setting goes first, so neither
 * the machine's drift nor a block's position favours one. One discarded block of each first warms
 * both up. Returns every block's µs per send, per setting, in order.
 */
export async function sendCpuAb(blocks: number, perBlock: number, inFlight = 16) {
  const rigs = { on: await rig(true), off: await rig(false) };
  try {
    await cpuPerSend(rigs.on, perBlock, inFlight);
    await cpuPerSend(rigs.off, perBlock, inFlight);
    const usPerSend = { on: [] as number[], off: [] as number[] };
    for (let b = 0; b < blocks; b++) {
      const order = b % 2 === 0 ? (['on', 'off'] as const) : (['off', 'on'] as const);
      for (const s of order) usPerSend[s].push(await cpuPerSend(rigs[s], perBlock, inFlight));
    }
    return { blocks, sendsPerBlock: perBlock, inFlight, usPerSend };
  } finally {
    await Promise.all([rigs.on.app.close(), rigs.off.app.close()]);
  }
}
