import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { connect, type NatsConnection } from 'nats';
import pg from 'pg';
import { openClickHouse } from '../../lib/clickhouse/connection.js';
import { MIGRATIONS as CLICKHOUSE_MIGRATIONS } from '../../lib/clickhouse/schema.js';
import { MIGRATIONS as ACCOUNTS_MIGRATIONS } from '../../lib/accounts/migrations.js';
import { loadDefinitions } from '../../lib/nats/definitions.js';
import { EnergyLiveProcess } from '../../test/support/energylive-process.js';
import { freePort } from '../../test/support/nats-server.js';
import { createTestDatabase } from '../../test/support/postgres.js';
import { tempDir } from '../../test/support/temp-dir.js';

/**
 * Three nats-servers with JetStream in one cluster, like the chart's NATS dependency, so replicas above 1
 * can really be applied (a single server refuses them).
 */
async function startNatsCluster(dir: string): Promise<{ url: string; stop(): Promise<void> }> {
  const clientPorts = [await freePort(), await freePort(), await freePort()];
  const routePorts = [await freePort(), await freePort(), await freePort()];
  const routes = routePorts.map((p) => `nats://127.0.0.1:${p}`).join(',');
  const children: ChildProcess[] = clientPorts.map((port, i) =>
    spawn(
      process.env.NATS_SERVER_BIN ?? 'nats-server',
      [
        ...['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', path.join(dir, `n${i}`)],
        ...['--server_name', `n${i}`, '--cluster_name', 'energylive-test'],
        ...['--cluster', `nats://127.0.0.1:${routePorts[i] ?? 0}`, '--routes', routes],
      ],
      { stdio: 'ignore' },
    ),
  );
  const url = clientPorts.map((p) => `nats://127.0.0.1:${p}`).join(',');
  // JetStream answers once the servers have elected a meta leader.
  const deadline = Date.now() + 30_000;
  for (;;) {
    let nc: NatsConnection | undefined;
    try {
      nc = await connect({ servers: url, timeout: 1000 });
      await (await nc.jetstreamManager({ timeout: 1000 })).getAccountInfo();
      break;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 250));
    } finally {
      await nc?.close();
    }
  }
  return {
    url,
    async stop() {
      await Promise.all(
        children.map(async (child) => {
          if (child.exitCode !== null) return;
          const exited = new Promise((r) => child.once('exit', r));
          child.kill('SIGTERM');
          await exited;
        }),
      );
    },
  };
}

async function replicasOf(url: string, streams: string[]): Promise<Record<string, number>> {
  const nc = await connect({ servers: url });
  try {
    const jsm = await nc.jetstreamManager();
    const replicas: Record<string, number> = {};
    for (const name of streams) replicas[name] = (await jsm.streams.info(name)).config.num_replicas;
    return replicas;
  } finally {
    await nc.close();
  }
}

describe('energylive migrate', function () {
  this.timeout(180_000);
  let dir: string;
  let nats: { url: string; stop(): Promise<void> };
  let database: { url: string; drop(): Promise<void> };

  before(async () => {
    dir = tempDir('energylive-migrate-');
    nats = await startNatsCluster(dir);
    database = await createTestDatabase();
  });

  after(async () => {
    await nats.stop();
    await database.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const definitions = loadDefinitions(undefined, {});
  const streams = [
    ...definitions.streams.map((s) => s.name),
    ...definitions.buckets.objectStores.map((b) => `OBJ_${b.bucket}`),
    ...definitions.buckets.keyValues.map((b) => `KV_${b.bucket}`),
  ];

  async function migrate(
    env: Record<string, string> = {},
  ): Promise<EnergyLiveProcess & { code: number | null }> {
    const run = new EnergyLiveProcess(['migrate'], {
      ENERGYLIVE_DATA_DIR: path.join(dir, 'data'),
      NATS_URL: nats.url,
      DATABASE_URL: database.url,
      // Whatever the shell running the tests has set: embedded ClickHouse, the files' replicas.
      CLICKHOUSE_URL: '',
      CLICKHOUSE_CLUSTER: '',
      ENERGYLIVE_NATS_REPLICAS: '',
      ...env,
    });
    return Object.assign(run, { code: await run.exit() });
  }

  it('applies the NATS definitions, then ENERGYLIVE_NATS_REPLICAS to every stream and bucket that exists', async () => {
    const first = await migrate();
    expect(first.code, first.stderr).to.equal(0);
    expect(await replicasOf(nats.url, streams)).to.deep.equal(Object.fromEntries(streams.map((s) => [s, 1])));

    const scaled = await migrate({ ENERGYLIVE_NATS_REPLICAS: '3' });
    expect(scaled.code, scaled.stderr).to.equal(0);
    expect(await replicasOf(nats.url, streams)).to.deep.equal(Object.fromEntries(streams.map((s) => [s, 3])));
    expect(scaled.stdout).to.contain('stream ENERGYLIVE_FILES: 3 replica(s)');
    expect(scaled.stdout).to.contain('bucket energylive-files: 3 replica(s)');
  });

  it('migrates ClickHouse and the accounts database once, says so, and finds them up to date after', async () => {
    const again = await migrate({ ENERGYLIVE_NATS_REPLICAS: '3' });
    expect(again.code, again.stderr).to.equal(0);
    expect(again.stdout).to.match(/ClickHouse embedded in .*, database energylive: schema up to date/);
    const latest = Math.max(...ACCOUNTS_MIGRATIONS.map((m) => m.version));
    expect(again.stdout).to.contain(`accounts schema at version ${latest}`);

    const ch = openClickHouse({
      url: undefined,
      database: 'energylive',
      embeddedPath: path.join(dir, 'data', 'clickhouse'),
    });
    try {
      const rows = await (
        await ch.client.query({
          query: 'SELECT version FROM energylive.schema_migrations',
          format: 'JSONEachRow',
        })
      ).json<{ version: number }>();
      expect(rows.map((r) => r.version).sort()).to.deep.equal(CLICKHOUSE_MIGRATIONS.map((m) => m.version));
    } finally {
      await ch.close();
    }
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
      expect(rows.map((r) => r.version)).to.deep.equal(ACCOUNTS_MIGRATIONS.map((m) => m.version));
    } finally {
      await client.end();
    }
  });

  it('prints no password of a URL', async () => {
    const url = new URL(database.url);
    // The test server's trust authentication ignores a password; a server that checks one has it in the URL.
    url.password ||= 'not-for-logs';
    const run = await migrate({ DATABASE_URL: url.toString() });
    expect(run.code, run.stderr).to.equal(0);
    expect(run.stdout).to.contain(`//${url.username}:***@`);
    expect(run.stdout).not.to.contain(decodeURIComponent(url.password));
  });

  it('exits 1 with the reason when a dependency does not answer, and 2 on a wrong argument', async () => {
    const unreachable = await migrate({ NATS_URL: `nats://127.0.0.1:${await freePort()}` });
    expect(unreachable.code).to.equal(1);
    expect(unreachable.stderr).to.contain('energylive migrate: NATS: cannot connect to nats://127.0.0.1:');

    const wrong = new EnergyLiveProcess(['migrate', '--dry-run'], { NATS_URL: nats.url });
    expect(await wrong.exit()).to.equal(2);
    expect(wrong.stderr).to.contain('migrate takes no arguments');
  });
});
