import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { openAccountsDb, type AccountsDb } from '../../lib/accounts/database.js';
import { migrateAccounts } from '../../lib/accounts/migrations.js';
import { tempDir } from './temp-dir.js';

/** The PostgreSQL server tests create their databases on (trust auth on this machine and in CI). */
export const TEST_POSTGRES_URL =
  process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A database of its own on the test server, dropped by `drop()`, so no test sees another's rows. */
export async function createTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `energylive_test_${crypto.randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(TEST_POSTGRES_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: TEST_POSTGRES_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export type AccountsEngine = 'postgres' | 'embedded';

/**
 * A migrated accounts database of either engine, and how to throw it away. Tests that hold for both
 * run once per engine, since production runs PostgreSQL and the default install PGlite.
 */
export async function testAccountsDb(
  engine: AccountsEngine,
): Promise<{ db: AccountsDb; dispose: () => Promise<void> }> {
  if (engine === 'postgres') {
    const database = await createTestDatabase();
    const db = await openAccountsDb({ url: database.url, embeddedPath: '' });
    await migrateAccounts(db);
    return {
      db,
      async dispose() {
        await db.close();
        await database.drop();
      },
    };
  }
  const dir = tempDir('energylive-pglite-');
  const db = await openAccountsDb({ url: undefined, embeddedPath: path.join(dir, 'accounts') });
  await migrateAccounts(db);
  return {
    db,
    async dispose() {
      await db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const ACCOUNTS_ENGINES: readonly AccountsEngine[] = ['postgres', 'embedded'];
