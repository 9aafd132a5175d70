import { freshDatabase } from '/work/main/packages/server/src/platform/db/testing.ts';
import { sql } from 'kysely';
const d = await freshDatabase('sqlite');
const db = d.db;
const rows = [];
for (let i = 0; i < 20000; i++) rows.push({ conversation_id: 'c' + (i % 100), seq: i, id: 'id' + i, client_id: 'cl' + i, client_hash: 'h', sender_id: 'u' + (i % 100), kind: 'text', content_enc: 'x'.repeat(100), mentions: '[]', extra_enc: null, created_at: i, edited_at: null, recalled_at: null, updated_at: i, version: 1 });
for (let i = 0; i < rows.length; i += 500) await db.insertInto('messages').values(rows.slice(i, i + 500)).execute();
const keys = Array.from({ length: 400 }, (_, i) => ({ s: 'u' + (i % 100), c: 'new' + i }));
const q = db.selectFrom('messages').selectAll().where((eb) => eb.or(keys.map((k) => eb.and([eb('sender_id', '=', k.s), eb('client_id', '=', k.c)]))));
const c = q.compile();
const plan = await sql.raw('EXPLAIN QUERY PLAN ' + c.sql).execute(db).catch(e=>e);
let t = performance.now();
for (let i = 0; i < 20; i++) await q.execute();
console.log('dedupe OR ms', (performance.now() - t) / 20);
console.log(JSON.stringify((plan as any).rows?.slice(0,3)));
// alternative: IN on client_id with sender filter in JS
const q2 = db.selectFrom('messages').selectAll().where('client_id', 'in', keys.map(k=>k.c));
t = performance.now();
for (let i = 0; i < 20; i++) await q2.execute();
console.log('client_id IN ms', (performance.now() - t) / 20);
// insert 400
t = performance.now();
for (let j = 0; j < 5; j++) {
  const batch = Array.from({ length: 400 }, (_, i) => ({ ...rows[0]!, seq: 100000 + j * 400 + i, id: `n${j}-${i}`, client_id: `nn${j}-${i}` }));
  await db.transaction().execute(async (trx) => { await trx.insertInto('messages').values(batch).execute(); });
}
console.log('insert 400 + commit ms', (performance.now() - t) / 5);
t = performance.now();
for (let j = 0; j < 5; j++) await db.transaction().execute(async (trx) => { await sql`select 1`.execute(trx); await trx.updateTable('conversations').set({updated_at: 1}).where('id','=','zz').execute(); });
console.log('empty commit ms', (performance.now() - t) / 5);
await d.close();
