import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { migrateToLatest, openDatabase, type Database } from './database.ts';

/**
 * The dialects repository tests run on: SQLite always; PostgreSQL when ZX_TEST_PG_URL is set.
 * In CI (CI=true) a missing ZX_TEST_PG_URL is a failure, not a skip.
 */
export function testDialects(): Array<'sqlite' | 'postgres'> {
  if (process.env.ZX_TEST_PG_URL) return ['sqlite', 'postgres'];
  if (process.env.CI === 'true')
    throw new Error('CI=true but ZX_TEST_PG_URL is not set: PostgreSQL tests cannot run');
  return ['sqlite'];
}

/** A database URL for one test: a fresh SQLite file, or a fresh PostgreSQL database. */
export async function freshDatabaseUrl(dialect: 'sqlite' | 'postgres'): Promise<string> {
  if (dialect === 'sqlite') return join(mkdtempSync(join(tmpdir(), 'zx-db-')), 'test.db');
  const base = process.env.ZX_TEST_PG_URL as string;
  const name = `zx_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

/** A migrated, empty database for one test. */
export async function freshDatabase(dialect: 'sqlite' | 'postgres'): Promise<Database> {
  const database = openDatabase({ url: await freshDatabaseUrl(dialect), pool: { size: 4 } });
  await migrateToLatest(database);
  return database;
}
