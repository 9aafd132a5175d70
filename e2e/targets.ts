import type { TestAppOptions } from '../packages/server/src/testing/app.ts';
import { testDialects, testNatsUrl } from '../packages/server/src/testing/app.ts';

export interface Target {
  name: string;
  options: TestAppOptions;
}

/**
 * Where the end-to-end flows run: SQLite with the in-process broker always; PostgreSQL with NATS
 * when ZX_TEST_PG_URL and ZX_TEST_NATS_URL are set (in CI both must be, or the run fails).
 */
export function targets(): Target[] {
  const out: Target[] = [{ name: 'sqlite', options: { dialect: 'sqlite' } }];
  const pg = testDialects().includes('postgres');
  const nats = testNatsUrl();
  if (pg && nats) out.push({ name: 'postgres+nats', options: { dialect: 'postgres', nats: true } });
  return out;
}
