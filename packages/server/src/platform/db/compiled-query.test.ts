import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { queryTemplate, SizedQueryTemplates } from './compiled-query.ts';
import type { Database } from './database.ts';
import { testDialects, freshDatabase } from './testing.ts';

describe.each(testDialects())('query templates on %s', (dialect) => {
  let database: Database;

  beforeAll(async () => {
    database = await freshDatabase(dialect);
    const conversation = (id: string, lastSeq: number) => ({
      id,
      kind: 'group' as const,
      title: `t-${id}`,
      direct_key: null,
      owner_id: null,
      last_seq: lastSeq,
      member_count: 0,
      created_at: 1,
      updated_at: 1,
    });
    await database.db
      .insertInto('conversations')
      .values([conversation('a', 5), conversation('b', 7), conversation('c', 9)])
      .execute();
  });

  afterAll(() => database.close());

  it('runs with the values of each bind and the same SQL text every time', async () => {
    const { db } = database;
    const byId = queryTemplate((p: { id: string; min: number }) =>
      db
        .selectFrom('conversations')
        .select(['id', 'last_seq'])
        .where('id', '=', p.id)
        .where('last_seq', '>=', p.min)
        .where('kind', '=', 'group')
        .compile(),
    );
    const first = byId.bind({ id: 'a', min: 1 });
    const second = byId.bind({ id: 'b', min: 8 });
    expect(second.sql).toBe(first.sql);
    expect((await db.executeQuery(first)).rows).toEqual([{ id: 'a', last_seq: 5 }]);
    expect((await db.executeQuery(second)).rows).toEqual([]);
    // The row type is the builder's.
    expectTypeOf((await db.executeQuery(first)).rows).toEqualTypeOf<
      Array<{ id: string; last_seq: number }>
    >();
  });

  it('binds the same compiled parameters as the builder with the values in place', () => {
    const { db } = database;
    const built = (id: string, min: number) =>
      db.selectFrom('conversations').selectAll().where('id', '=', id).where('last_seq', '>', min).compile();
    const template = queryTemplate((p: { id: string; min: number }) => built(p.id, p.min));
    const bound = template.bind({ id: 'x', min: 3 });
    expect(bound.sql).toBe(built('x', 3).sql);
    expect(bound.parameters).toEqual(built('x', 3).parameters);
  });

  it('fills list placeholders item by item, one template per list size', async () => {
    const { db } = database;
    const templates = new SizedQueryTemplates((p: { ids: string[]; now: number }, list, size) =>
      db
        .updateTable('conversations')
        .set({ updated_at: p.now })
        .where('id', 'in', list('ids', size))
        .returning(['id', 'updated_at'])
        .compile(),
    );
    const two = templates.of(2).bind({ ids: ['a', 'c'], now: 50 });
    const { rows } = await db.executeQuery(two);
    expect(rows.sort((x, y) => x.id.localeCompare(y.id))).toEqual([
      { id: 'a', updated_at: 50 },
      { id: 'c', updated_at: 50 },
    ]);
    expect(templates.of(4).sql).not.toBe(templates.of(2).sql);
    expect(templates.of(2)).toBe(templates.of(2));
    expect(() => templates.of(2).bind({ ids: ['a'], now: 1 })).toThrow(/1 items, built for 2/);
  });

  it('works with sql templates as well as the builder', async () => {
    const { db } = database;
    const bump = queryTemplate((p: { id: string; by: number }) =>
      sql<{ last_seq: number }>`update conversations set last_seq = last_seq + ${p.by}
        where id = ${p.id} returning last_seq`.compile(db),
    );
    const { rows } = await db.executeQuery(bump.bind({ id: 'b', by: 3 }));
    expect(rows.map((r) => Number(r.last_seq))).toEqual([10]);
  });

  it('refuses a placeholder used to shape the query instead of as a value', () => {
    const { db } = database;
    // Read as a JS value, the placeholder is always truthy: every bind would get the same shape.
    const template = queryTemplate((p: { id: string; groupsOnly: boolean }) =>
      db
        .selectFrom('conversations')
        .select('id')
        .where('id', '=', p.id)
        .$if(p.groupsOnly, (qb) => qb.where('kind', '=', 'group'))
        .compile(),
    );
    expect(() => template.sql).toThrow(/'groupsOnly' is not a SQL parameter/);
  });
});
