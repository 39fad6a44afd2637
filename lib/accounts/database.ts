import fs from 'node:fs';
import path from 'node:path';
import type { PGlite, Transaction } from '@electric-sql/pglite';
import pg from 'pg';

/** What the accounts code needs of PostgreSQL: parameterised queries, and transactions. */
export interface Sql {
  query<T extends object>(text: string, params?: unknown[]): Promise<T[]>;
}

export interface AccountsDb extends Sql {
  readonly kind: 'postgres' | 'embedded';
  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (tx: Sql) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface AccountsDbOptions {
  /** A PostgreSQL URL; unset means PGlite (PostgreSQL compiled to WebAssembly) in `embeddedPath`. */
  url: string | undefined;
  embeddedPath: string;
}

function postgres(url: string): AccountsDb {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  return {
    kind: 'postgres',
    async query<T extends object>(text: string, params: unknown[] = []) {
      return (await pool.query<T>(text, params)).rows;
    },
    async transaction<T>(work: (tx: Sql) => Promise<T>) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await work({
          query: async <R extends object>(text: string, params: unknown[] = []) =>
            (await client.query<R>(text, params)).rows,
        });
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}

async function embedded(dir: string): Promise<AccountsDb> {
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  const { PGlite } = await import('@electric-sql/pglite');
  const db: PGlite = await PGlite.create(dir);
  const run =
    (target: PGlite | Transaction) =>
    async <T extends object>(text: string, params: unknown[] = []) =>
      (await target.query<T>(text, params)).rows;
  return {
    kind: 'embedded',
    query: run(db),
    transaction: (work) => db.transaction((tx) => work({ query: run(tx) })),
    close: () => db.close(),
  };
}

export async function openAccountsDb(options: AccountsDbOptions): Promise<AccountsDb> {
  return options.url ? postgres(options.url) : embedded(options.embeddedPath);
}
