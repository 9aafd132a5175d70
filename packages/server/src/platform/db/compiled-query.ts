import { createQueryId, type CompiledQuery } from 'kysely';
import { keepPrepared } from './prepared-statements.ts';

/**
 * Queries built and compiled once, run many times. Kysely's builder and compiler cost more JS per
 * query than SQLite spends running a small indexed statement (an indexed select: ~18 µs through
 * the builder, ~4 µs as a CompiledQuery). A template is written with the ordinary typed builder,
 * with placeholders standing in for the run-time values; it is compiled on first use, and each run
 * only puts the values into the compiled parameter list. The SQL text is the same every run, so
 * SQLite's statement cache and PostgreSQL's parser both find it.
 */

/** Where a run-time value goes: the parameter `name`, or item `index` of the list `name`. */
class Slot {
  constructor(
    readonly name: string,
    readonly index: number,
  ) {}
}

const SCALAR = -1;

/** The list parameters of P: those whose values are arrays. */
type ListKey<P> = { [K in keyof P]: P[K] extends readonly unknown[] ? K : never }[keyof P] & string;

/** Makes `size` placeholders for the items of a list parameter (e.g. an `in (...)` list). */
export type ListSlots<P> = <K extends ListKey<P>>(name: K, size: number) => P[K];

/** One compiled query with placeholders, bound to values per run. */
export interface QueryTemplate<P, R> {
  /** The compiled query with these values: the same SQL text every time. */
  bind(params: P): CompiledQuery<R>;
  /** The SQL text (compiles the template if it has not been). */
  readonly sql: string;
}

type Step = { value: unknown } | { slot: Slot };

interface Plan<R> {
  compiled: CompiledQuery<R>;
  steps: Step[];
  /** List parameters with the item count each was built for. */
  lists: Map<string, number>;
}

/** Builds the query with placeholders and compiles it: `db.selectFrom(...).compile()`, `sql\`...\`.compile(db)`. */
export type TemplateBuild<P, R> = (params: P, list: ListSlots<P>) => CompiledQuery<R>;

function compilePlan<P, R>(build: TemplateBuild<P, R>): Plan<R> {
  const used = new Set<string>();
  const lists = new Map<string, number>();
  // Each property read gives the placeholder of that parameter; typed as P so the builder checks
  // every column against the value type it will get at run time.
  const params = new Proxy(
    {},
    {
      get(_target, name) {
        if (typeof name !== 'string') return undefined;
        used.add(name);
        return new Slot(name, SCALAR);
      },
    },
  ) as P;
  const list: ListSlots<P> = (name, size) => {
    lists.set(name, size);
    used.add(name);
    return Array.from({ length: size }, (_, i) => new Slot(name, i)) as P[typeof name];
  };
  const compiled = build(params, list);
  // Run many times with this text: PostgreSQL keeps it parsed and planned.
  keepPrepared(compiled.sql);
  const steps: Step[] = compiled.parameters.map((value) =>
    value instanceof Slot ? { slot: value } : { value },
  );
  // A placeholder read as a JS value (a condition, a spread) would bind nothing, and every run
  // would get the shape it gave once: refuse the template instead.
  const bound = new Set(steps.flatMap((s) => ('slot' in s ? [s.slot.name] : [])));
  for (const name of used)
    if (!bound.has(name)) throw new Error(`query template: parameter '${name}' is not a SQL parameter`);
  return { compiled, steps, lists };
}

/**
 * A query template, compiled on first use (see the module comment). Values must reach the query as
 * SQL parameters: one read as a JS value to shape the query (`$if(p.flag, ...)`) is refused.
 *
 * @example
 * const byId = queryTemplate((p: { id: string }) =>
 *   db.selectFrom('users').selectAll().where('id', '=', p.id).compile(),
 * );
 * const { rows } = await trx.executeQuery(byId.bind({ id })); // rows: typed as the builder's
 */
export function queryTemplate<P extends object, R>(build: TemplateBuild<P, R>): QueryTemplate<P, R> {
  let plan: Plan<R> | undefined;
  const planned = () => (plan ??= compilePlan(build));
  return {
    bind(params: P): CompiledQuery<R> {
      const { compiled, steps, lists } = planned();
      const values = params as Record<string, unknown>;
      for (const [name, size] of lists) {
        const items = values[name] as readonly unknown[];
        if (items.length !== size)
          throw new Error(`query template: '${name}' has ${items.length} items, built for ${size}`);
      }
      const parameters = new Array<unknown>(steps.length);
      for (let i = 0; i < steps.length; i++) {
        const step = steps[i] as Step;
        if ('value' in step) parameters[i] = step.value;
        else {
          const value = values[step.slot.name];
          parameters[i] = step.slot.index === SCALAR ? value : (value as readonly unknown[])[step.slot.index];
        }
      }
      return { sql: compiled.sql, query: compiled.query, parameters, queryId: createQueryId() };
    },
    get sql() {
      return planned().compiled.sql;
    },
  };
}

/**
 * Templates of one query shape by list size (e.g. padded key lists, see batches.ts): the template
 * for a size is compiled the first time that size is asked for.
 */
export class SizedQueryTemplates<P extends object, R> {
  private readonly bySize = new Map<number, QueryTemplate<P, R>>();

  constructor(private readonly build: (params: P, list: ListSlots<P>, size: number) => CompiledQuery<R>) {}

  /** The template for lists of exactly `size` items. */
  of(size: number): QueryTemplate<P, R> {
    let template = this.bySize.get(size);
    if (!template) {
      template = queryTemplate<P, R>((params, list) => this.build(params, list, size));
      this.bySize.set(size, template);
    }
    return template;
  }
}
