import path from 'node:path';
import { connect } from 'nats';
import type { Config } from '../../lib/config/env.js';
import { openAccountsDb } from '../../lib/accounts/database.js';
import { migrateAccounts } from '../../lib/accounts/migrations.js';
import { openClickHouse } from '../../lib/clickhouse/connection.js';
import { migrate } from '../../lib/clickhouse/schema.js';
import { applyDefinitions, definitionsDir, loadDefinitions } from '../../lib/nats/definitions.js';
import { UsageError } from '../usage-error.js';

type Print = (line: string) => void;

/** URLs as they may be printed: the password of any `scheme://user:password@host` becomes `***`. */
function redacted(urls: string): string {
  return urls.replace(/\/\/([^:/@]*):[^@/]*@/g, '//$1:***@');
}

async function migrateNats(config: Config, print: Print): Promise<void> {
  const definitions = loadDefinitions();
  const nc = await connect({ servers: config.natsUrl, name: 'energylive-migrate', timeout: 10_000 }).catch(
    (err: unknown) => {
      throw new Error(`cannot connect to ${redacted(config.natsUrl)}: ${(err as Error).message}`);
    },
  );
  try {
    await applyDefinitions(nc, definitions);
  } finally {
    await nc.close();
  }
  const { streams, consumers, buckets } = definitions;
  print(`NATS ${redacted(config.natsUrl)}: definitions from ${definitionsDir()} applied`);
  for (const s of streams) print(`  stream ${s.name}: ${s.num_replicas} replica(s)`);
  for (const c of consumers) print(`  consumer ${c.stream}/${c.durable_name}`);
  for (const b of [...buckets.objectStores, ...buckets.keyValues])
    print(`  bucket ${b.bucket}: ${b.replicas} replica(s)`);
}

async function migrateClickHouse(config: Config, print: Print): Promise<void> {
  const { url, database, cluster } = config.clickhouse;
  const embeddedPath = path.join(config.dataDir, 'clickhouse');
  const ch = openClickHouse({ url, database, embeddedPath });
  try {
    const applied = await migrate(ch, { database, cluster });
    const where = url ? redacted(url) : `embedded in ${embeddedPath}`;
    const how = cluster ? ` on cluster ${cluster}` : '';
    const what = applied.length ? `applied migrations ${applied.join(', ')}` : 'schema up to date';
    print(`ClickHouse ${where}, database ${database}${how}: ${what}`);
  } finally {
    await ch.close();
  }
}

async function migrateAccountsDb(config: Config, print: Print): Promise<void> {
  const url = config.accounts.databaseUrl;
  if (!url) {
    // PGlite allows one process per directory, so the process running accounts and billing migrates it.
    print('accounts: embedded PGlite (no DATABASE_URL), migrated by the accounts process at start');
    return;
  }
  const db = await openAccountsDb({ url, embeddedPath: '' });
  try {
    await migrateAccounts(db);
    const [latest] = await db.query<{ version: number }>(
      'SELECT max(version) AS version FROM schema_migrations',
    );
    print(`PostgreSQL ${redacted(url)}: accounts schema at version ${latest?.version ?? 0}`);
  } finally {
    await db.close();
  }
}

/**
 * `energylive migrate`: brings NATS (streams, consumers, buckets), ClickHouse and PostgreSQL to what this
 * version expects, so a deployment's services start on a ready schema; the Helm chart runs it as a hook
 * Job before the pods of a new version. Every step is idempotent, so a Job that is retried is safe.
 */
export async function runMigrate(args: string[], config: Config): Promise<number> {
  if (args.length > 0) throw new UsageError(`migrate takes no arguments (got ${args.join(' ')})`);
  const print: Print = (line) => process.stdout.write(`${line}\n`);
  const steps: [string, (config: Config, print: Print) => Promise<void>][] = [
    ['NATS', migrateNats],
    ['ClickHouse', migrateClickHouse],
    ['accounts database', migrateAccountsDb],
  ];
  for (const [name, step] of steps) {
    try {
      await step(config, print);
    } catch (err) {
      process.stderr.write(`energylive migrate: ${name}: ${(err as Error).message}\n`);
      return 1;
    }
  }
  return 0;
}
