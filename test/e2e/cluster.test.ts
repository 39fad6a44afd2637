import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import type { ServiceBroker } from 'moleculer';
import { connect, type NatsConnection } from 'nats';
import pg from 'pg';
import { createBroker } from '../../actors/runtime/broker.js';
import { SseClient } from '../../gateway/live/testing/sse-client.js';
import type { DatasetName } from '../../lib/config/env.js';
import type { ImportDone } from '../../lib/pipeline/messages.js';
import { STREAMS, subjects } from '../../lib/pipeline/subjects.js';
import type { ColumnarSeries } from '../../lib/query/series-request.js';
import { testConfig } from '../support/config.js';
import { EnergyLiveProcess, event, type LogLine } from '../support/energylive-process.js';
import { FIXTURE_AREAS, entsoeFile, seriesRows, type FixtureRow } from '../support/entsoe-fixture.js';
import { freePort, startNatsServer, type TestNatsServer } from '../support/nats-server.js';
import { createTestDatabase } from '../support/postgres.js';
import { subscriberToken } from '../support/subscriber.js';
import { definitionsWithAckWait } from '../support/nats-definitions.js';
import { tempDir } from '../support/temp-dir.js';

const GENERATION_FILE = '2022_01_AggregatedGenerationPerType_16.1.B_C.csv';
const LOAD_FILE = '2022_01_ActualTotalLoad_6.1.A.csv';
const AREAS = FIXTURE_AREAS.slice(0, 20);
const TYPES = ['Solar', 'Wind Onshore', 'Fossil Gas', 'Nuclear', 'Biomass'];

/** A month of generation for 100 series: large enough that an import takes a noticeable time. */
function bigMonth(): FixtureRow[] {
  return AREAS.flatMap((area) =>
    TYPES.flatMap((productionType) =>
      seriesRows({
        dataset: 'generation',
        area,
        productionType,
        from: '2022-01-01 00:00',
        intervals: 31 * 96,
      }),
    ),
  );
}

/** Two days of hourly load in DE, with the given corrections (interval index → value). */
function loadRows(corrections: Record<number, number> = {}): FixtureRow[] {
  return seriesRows({
    dataset: 'load',
    area: 'DE',
    resolution: 'PT60M',
    from: '2022-01-01 00:00',
    intervals: 48,
  }).map((r, i) => {
    const value = corrections[i];
    // A correction is published later than the value it replaces, as ENTSO-E does.
    return value === undefined ? r : { ...r, value: value.toFixed(2), updated: '2022-01-05 00:00:00' };
  });
}

/** Drops a file into the watched folder whole, as a copy that ends with a rename does. */
function dropFile(folder: string, name: string, bytes: Buffer): void {
  const partial = path.join(folder, `${name}.part`);
  fs.writeFileSync(partial, bytes);
  fs.renameSync(partial, path.join(folder, name));
}

/**
 * EnergyLive as a cluster deploys it, each actor group in processes of its own on one NATS and one
 * PostgreSQL: two parser processes watching the same source folder, the importer and query actors in the
 * one process that owns the embedded ClickHouse, two gateway processes and the accounts actor apart.
 */
describe('EnergyLive in separate processes on shared NATS and PostgreSQL', function () {
  this.timeout(180_000);
  let nats: TestNatsServer | undefined;
  let nc: NatsConnection | undefined;
  let database: { url: string; drop(): Promise<void> } | undefined;
  let broker: ServiceBroker | undefined;
  let root: string;
  let sourceDir: string;
  let namespace: string;
  let dataEnv: Record<string, string>;
  let data: EnergyLiveProcess;
  let accounts: EnergyLiveProcess;
  const parsers: EnergyLiveProcess[] = [];
  const gateways: EnergyLiveProcess[] = [];
  const processes: EnergyLiveProcess[] = [];
  const clients: SseClient[] = [];
  const ports: number[] = [];
  let auth: Record<string, string> = {};
  let email = '';
  /** The `started` lines of the accounts and the first importer/query process. */
  let started: LogLine[] = [];

  function spawn(services: string, env: Record<string, string>): EnergyLiveProcess {
    const p = new EnergyLiveProcess(['start', '--services', services], env);
    processes.push(p);
    return p;
  }

  /** The next "import done" of a month, whichever process publishes it. */
  function nextImport(dataset: DatasetName, month: string): Promise<ImportDone> {
    const sub = nc!.subscribe(subjects.importDone(dataset, month), { max: 1 });
    return (async () => {
      for await (const m of sub) return m.json<ImportDone>();
      throw new Error(`no import done for ${dataset} ${month}`);
    })();
  }

  /** Messages a stream holds on a subject. */
  async function retained(stream: string, subject: string): Promise<number> {
    const consumer = await nc!.jetstream().consumers.get(stream, { filterSubjects: subject });
    const pending = (await consumer.info(true)).num_pending;
    await consumer.delete();
    return pending;
  }

  /** Resolves once the process's broker has discovered the nodes that logged these `started` lines. */
  async function knows(p: EnergyLiveProcess, ...nodes: LogLine[]): Promise<void> {
    await Promise.all(
      nodes.map((n) => p.waitFor((l) => l.message === `Node '${String(n.nodeID)}' connected.`, 30_000)),
    );
  }

  const published = (dataset: string, month: string) => (l: LogLine) =>
    l.event === 'file_ready' && l.dataset === dataset && l.month === month;

  before(async () => {
    nats = await startNatsServer();
    nc = await connect({ servers: nats.url });
    database = await createTestDatabase();
    root = tempDir('energylive-cluster-');
    sourceDir = path.join(root, 'source');
    fs.mkdirSync(sourceDir);
    // Every process applies the definitions at start, so all of them get this copy.
    const definitions = definitionsWithAckWait(path.join(root, 'definitions'), 2);

    namespace = testConfig(nats.url, root).namespace;
    const env = (dir: string, extra: Record<string, string> = {}) => ({
      NATS_URL: nats!.url,
      ENERGYLIVE_NAMESPACE: namespace,
      ENERGYLIVE_NATS_DEFINITIONS: definitions,
      ENERGYLIVE_DATA_DIR: path.join(root, dir),
      ENERGYLIVE_HEALTH_PORT: 'off',
      LOG_LEVEL: 'info',
      ...extra,
    });
    dataEnv = env('data');
    accounts = spawn('accounts', env('accounts', { DATABASE_URL: database.url }));
    data = spawn('importer,query', dataEnv);
    for (let i = 0; i < 2; i++) {
      const port = await freePort();
      ports.push(port);
      gateways.push(
        spawn(
          'gateway',
          env(`gateway${i}`, { ENERGYLIVE_GATEWAY_HOST: '127.0.0.1', ENERGYLIVE_GATEWAY_PORT: String(port) }),
        ),
      );
      parsers.push(
        spawn(
          'parser',
          env(`parser${i}`, {
            ENERGYLIVE_SOURCE: 'folder',
            ENERGYLIVE_SOURCE_FOLDER: sourceDir,
            ENERGYLIVE_POLL_INTERVAL: '1',
          }),
        ),
      );
    }
    started = await Promise.all([
      accounts.waitFor(event('started')),
      data.waitFor(event('started')),
      ...parsers.map((p) => p.waitFor(event('started'))),
      ...gateways.map((g) => g.waitFor(event('gateway_listening'))),
    ]);
    expect(started[0]).to.include({ accountsDb: 'postgres' });
    // Processes started together find each other within a moment; a gateway serves once it knows them.
    await Promise.all(gateways.map((g) => knows(g, started[0]!, started[1]!)));

    email = `cluster-${Date.now()}@example.com`;
    const token = await subscriberToken({
      base: `http://127.0.0.1:${ports[0]!}`,
      natsUrl: nats.url,
      namespace,
      email,
      emailText: async (to) =>
        String((await accounts.waitFor((l) => l.event === 'email' && l.to === to)).text),
    });
    auth = { authorization: `Bearer ${token}` };
  });

  after(async () => {
    for (const c of clients) c.close();
    await broker?.stop();
    await Promise.all(
      processes.map(async (p) => {
        const exited = p.kill();
        // A process that does not stop on SIGTERM in time is killed, so cleanup never hangs.
        const stopped = await Promise.race([exited.then(() => true), sleep(15_000, false)]);
        if (!stopped) await p.kill('SIGKILL');
      }),
    );
    await nc?.close();
    await nats?.stop();
    await database?.drop();
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  const get = async (gateway: number, route: string): Promise<Response> =>
    fetch(`http://127.0.0.1:${ports[gateway]!}${route}`, { headers: auth });

  it('keeps accounts in the shared PostgreSQL: a token made through one gateway is accepted by the other', async () => {
    const client = new pg.Client({ connectionString: database!.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ n: string }>('SELECT count(*) AS n FROM users WHERE email = $1', [
        email,
      ]);
      expect(Number(rows[0]?.n)).to.equal(1);
    } finally {
      await client.end();
    }
    for (const gateway of [0, 1]) {
      const res = await get(gateway, '/api/v1/load?area=DE&from=2022-01-01&to=2022-01-02');
      await res.body?.cancel();
      expect(res.status, `gateway ${gateway}`).to.equal(200);
    }
  });

  it('publishes a file seen by both parsers once, and completes its import exactly once after the importer process is killed mid-import', async () => {
    const rows = bigMonth();
    const done = nextImport('generation', '2022-01');
    dropFile(sourceDir, GENERATION_FILE, entsoeFile('generation', 'official', rows));

    const first = data;
    await first.waitFor((l) => l.event === 'import_started' && l.dataset === 'generation', 90_000);
    await first.kill('SIGKILL');
    expect(first.lines.some(event('import_done')), 'the import finished before the kill').to.equal(false);

    data = spawn('importer,query', dataEnv);
    const restarted = await data.waitFor(event('started'));
    const imported = await done;
    expect(imported).to.include({ status: 'imported', changedPoints: rows.length, monthRows: rows.length });
    // The new process imported the month whole from its redelivered message: the killed one committed nothing.
    const finished = await data.waitFor((l) => l.event === 'import_done' && l.dataset === 'generation');
    expect(finished).to.include({ status: 'imported', changedPoints: rows.length });
    expect(Number(finished.delivery), 'the import was redelivered to the new process').to.be.at.least(2);
    // And announced it once: no "import done" from the killed process, none repeated.
    expect(await retained(STREAMS.imports, subjects.importDone('generation', '2022-01'))).to.equal(
      imported.parts,
    );

    // Both parsers watch the folder: whether one of them found the file already handled or both parsed it
    // and JetStream dropped the second by its message id, one file-ready message is in the stream.
    const fresh = parsers.flatMap((p) => p.lines.filter(published('generation', '2022-01')));
    expect(fresh.filter((l) => l.duplicate === false)).to.have.length(1);
    expect(fresh.every((l) => l.rows === rows.length)).to.equal(true);
    expect(await retained(STREAMS.files, subjects.fileReady('generation', '2022-01'))).to.equal(1);

    broker = createBroker(testConfig(nats!.url, root, { ENERGYLIVE_NAMESPACE: namespace }), {
      channels: false,
    });
    await broker.start();
    await broker.waitForServices(['query'], 30_000);
    const stats = await broker.call<{ rows: number; keys: number }, { dataset: string; month: string }>(
      'query.monthStats',
      { dataset: 'generation', month: '2022-01' },
    );
    expect(stats).to.deep.equal({ rows: rows.length, keys: rows.length });

    // Every value of every series, through both gateways, is the one in the file, asked as soon as the
    // gateways know the restarted node: a query sent to the killed one is rejected once its heartbeats
    // are missed and retried on the live one, so no answer may be a 503.
    await Promise.all(gateways.map((g) => knows(g, restarted)));
    const times = seriesRows({ dataset: 'generation', from: '2022-01-01 00:00', intervals: 31 * 96 }).map(
      (r) => Date.parse(`${r.ts!.replace(' ', 'T')}Z`) / 1000,
    );
    for (const [i, area] of AREAS.entries()) {
      const res = await get(i % 2, `/api/v1/generation?area=${area}&from=2022-01-01&to=2022-02-01`);
      expect(res.status, area).to.equal(200);
      const body = (await res.json()) as ColumnarSeries;
      expect(body.t, area).to.deep.equal(times);
      const expected = TYPES.map((type) => ({
        name: type,
        values: rows
          .filter((r) => r.map_code === area && r.production_type === type)
          .map((r) => Number(r.value)),
      }));
      const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
      expect([...body.series].sort(byName), area).to.deep.equal(expected.sort(byName));
    }
  });

  it('moves the SSE clients of a gateway killed by SIGKILL to the other one with Last-Event-ID, missing and repeating no update', async () => {
    const month = () => nextImport('load', '2022-01');
    let imported = month();
    dropFile(sourceDir, LOAD_FILE, entsoeFile('load', 'official', loadRows()));
    await imported;

    const stream = (gateway: number) =>
      `http://127.0.0.1:${ports[gateway]!}/api/v1/stream?dataset=load&area=DE&from=2022-01-01&to=2022-01-03&resolution=PT60M`;
    const listen = async (gateway: number) => {
      const c = await SseClient.connect(stream(gateway), auth);
      clients.push(c);
      await c.ready();
      return c;
    };
    const updates = (c: SseClient) => c.updates.length;
    const onA = [await listen(0), await listen(0)];
    const stayed = await listen(1);

    // An import while everyone is connected reaches everyone, with the same id.
    imported = month();
    dropFile(sourceDir, LOAD_FILE, entsoeFile('load', 'official', loadRows({ 5: 7 })));
    await imported;
    await Promise.all([...onA, stayed].map((c) => c.waitFor((x) => updates(x) === 1, 30_000)));
    for (const c of onA) expect(c.updates).to.deep.equal(stayed.updates);

    await gateways[0]!.kill('SIGKILL');
    await Promise.all(onA.map((c) => c.ended));

    // An import while the clients of the killed gateway are away.
    imported = month();
    dropFile(sourceDir, LOAD_FILE, entsoeFile('load', 'official', loadRows({ 5: 7, 9: 9 })));
    await imported;
    await stayed.waitFor((x) => updates(x) === 2, 30_000);

    // They reconnect to the other gateway as EventSource does: with the id of the last event they got.
    const moved: SseClient[] = [];
    for (const c of onA) {
      const last = c.events.at(-1)!;
      expect(last.event).to.equal('update');
      const m = await SseClient.connect(stream(1), { ...auth, 'Last-Event-ID': last.id ?? '' });
      clients.push(m);
      const ready = await m.ready();
      expect(ready).to.include({ id: last.id });
      expect(JSON.parse(ready.data)).to.deep.equal({ resumed: true });
      moved.push(m);
    }

    // And an import after they are back.
    imported = month();
    dropFile(sourceDir, LOAD_FILE, entsoeFile('load', 'official', loadRows({ 5: 7, 9: 9, 11: 11 })));
    await imported;
    await stayed.waitFor((x) => updates(x) === 3, 30_000);
    await Promise.all(moved.map((m) => m.waitFor((x) => updates(x) >= 2, 30_000)));
    // Time for a duplicate, were one on its way.
    await sleep(1_000);

    // What each moved client got, before the kill and after it reconnected, is what the one that stayed got.
    for (const [i, c] of onA.entries()) {
      expect([...c.updates, ...moved[i]!.updates], `client ${i}`).to.deep.equal(stayed.updates);
    }
    const ids = stayed.updates.map((e) => Number(e.id));
    expect(ids).to.deep.equal([...ids].sort((a, b) => a - b));
    expect(new Set(ids).size).to.equal(3);
    const points = stayed.updates.map((e) => {
      const u = JSON.parse(e.data) as ColumnarSeries;
      return { t: u.t, series: u.series };
    });
    expect(points).to.deep.equal(
      [5, 9, 11].map((h) => ({
        t: [Date.UTC(2022, 0, 1, h) / 1000],
        series: [{ name: 'DE', values: [h === 5 ? 7 : h] }],
      })),
    );
  });
});
