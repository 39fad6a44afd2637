import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { expect } from 'chai';
import { connect, type NatsConnection } from 'nats';
import { createBroker } from '../../actors/runtime/broker.js';
import { SseClient, type SseEvent } from '../../gateway/live/testing/sse-client.js';
import type { DatasetName } from '../../lib/config/env.js';
import { publishFile } from '../../lib/pipeline/publish-file.js';
import { BUCKETS, STREAMS, subjects } from '../../lib/pipeline/subjects.js';
import type { ColumnarSeries } from '../../lib/query/series-request.js';
import { openNatsFileStore } from '../../lib/storage/nats-file-store.js';
import { testConfig } from '../support/config.js';
import { EnergyLiveProcess, event, type LogLine } from '../support/energylive-process.js';
import { entsoeFile, seriesRows, type FixtureRow } from '../support/entsoe-fixture.js';
import { freePort, startRestartableNatsServer, type RestartableNatsServer } from '../support/nats-server.js';
import { subscriberToken } from '../support/subscriber.js';
import { tempDir } from '../support/temp-dir.js';
import { definitionsWithAckWait } from '../support/nats-definitions.js';

/** "Within a few seconds": what an orchestrator needs to take a pod out of its Service in time. */
const READINESS_DROP_MS = 5_000;
/** NATS clients retry every 2 s; a few attempts, and the broker's own reconnection, fit in this. */
const READINESS_RECOVERY_MS = 15_000;
/** The stop timeout the processes here run with (ENERGYLIVE_STOP_TIMEOUT_SECONDS). */
const STOP_TIMEOUT_S = 10;

/** One `energylive start` process on its own restartable NATS, with its health and gateway ports. */
interface Stack {
  nats: RestartableNatsServer;
  /** The test's own NATS connection; it reconnects across restarts like the processes do. */
  nc: NatsConnection;
  process: EnergyLiveProcess;
  /** Starts another process like the first (after the first has ended: one process per data directory). */
  respawn(): Promise<EnergyLiveProcess>;
  namespace: string;
  health: string;
  gateway: string;
  dataDir: string;
}

async function startStack(services: string, env: Record<string, string> = {}): Promise<Stack> {
  const nats = await startRestartableNatsServer();
  const dataDir = tempDir();
  const namespace = testConfig(nats.url, dataDir).namespace;
  const healthPort = await freePort();
  const gatewayPort = await freePort();
  const spawn = async () => {
    const p = new EnergyLiveProcess(['start', '--services', services], {
      ENERGYLIVE_DATA_DIR: path.join(dataDir, 'data'),
      NATS_URL: nats.url,
      ENERGYLIVE_NAMESPACE: namespace,
      ENERGYLIVE_HEALTH_PORT: String(healthPort),
      ENERGYLIVE_GATEWAY_PORT: String(gatewayPort),
      ENERGYLIVE_GATEWAY_HOST: '127.0.0.1',
      ENERGYLIVE_STOP_TIMEOUT_SECONDS: String(STOP_TIMEOUT_S),
      LOG_LEVEL: 'info',
      ...env,
    });
    await p.waitFor(event('started'), 120_000);
    return p;
  };
  const process = await spawn();
  const nc = await connect({ servers: nats.url, maxReconnectAttempts: -1, reconnectTimeWait: 250 });
  const stack: Stack = {
    nats,
    nc,
    process,
    async respawn() {
      stack.process = await spawn();
      return stack.process;
    },
    namespace,
    health: `http://127.0.0.1:${healthPort}`,
    gateway: `http://127.0.0.1:${gatewayPort}`,
    dataDir,
  };
  return stack;
}

/** Sends SIGTERM; the exit code, or 'still running' if the process outlived `seconds`. */
async function exitWithin(p: EnergyLiveProcess, seconds: number): Promise<number | null | 'still running'> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'still running'>((resolve) => {
    timer = setTimeout(() => {
      resolve('still running');
    }, seconds * 1000);
  });
  try {
    return await Promise.race([p.kill('SIGTERM'), late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Restarts NATS and waits until the test's own connection is back, so its next request is not lost. */
async function restartNats(stack: Stack): Promise<void> {
  await stack.nats.restart();
  for (;;) {
    try {
      await stack.nc.rtt();
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

async function stopStack(stack: Stack | undefined): Promise<void> {
  if (!stack) return;
  await stack.process.kill('SIGKILL');
  await stack.nc.close();
  await stack.nats.stop();
  fs.rmSync(stack.dataDir, { recursive: true, force: true });
}

/** The status of `/readyz`, 0 when no answer came within 3 s (a probe's timeout). */
async function readiness(base: string): Promise<number> {
  try {
    const res = await fetch(`${base}/readyz`, { signal: AbortSignal.timeout(3_000) });
    await res.text();
    return res.status;
  } catch {
    return 0;
  }
}

/** Polls both readiness endpoints until each answers `status`; the milliseconds it took. */
async function readinessBecomes(stack: Stack, status: number, withinMs: number): Promise<number> {
  const started = Date.now();
  for (;;) {
    const answers = await Promise.all([readiness(stack.health), readiness(stack.gateway)]);
    if (answers.every((a) => a === status)) return Date.now() - started;
    if (Date.now() - started > withinMs) {
      throw new Error(`readiness answered ${answers.join(' and ')}, not ${status}, after ${withinMs} ms`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

function fileOf(dataset: DatasetName, rows: FixtureRow[]): Buffer {
  return entsoeFile(dataset, 'official', rows);
}

async function ingest(stack: Stack, dataset: DatasetName, rows: FixtureRow[]): Promise<void> {
  const store = await openNatsFileStore(stack.nc, BUCKETS.files);
  const outcome = await publishFile(
    Readable.from([fileOf(dataset, rows)]),
    { kind: 'test', name: `${dataset}.csv`, key: `${dataset}.csv`, version: String(Date.now()) },
    { js: stack.nc.jetstream(), store, tmpDir: path.join(stack.dataDir, 'cli-tmp') },
  );
  expect(outcome.status).to.equal('published');
}

/** "Import done" messages the stream holds for a dataset's month: what every subscriber gets. */
async function importsDone(stack: Stack, dataset: DatasetName, month: string): Promise<number> {
  const jsm = await stack.nc.jetstreamManager();
  const subject = subjects.importDone(dataset, month);
  const info = await jsm.streams.info(STREAMS.imports, { subjects_filter: subject });
  return info.state.subjects?.[subject] ?? 0;
}

async function monthStats(stack: Stack, dataset: DatasetName, month: string) {
  const broker = createBroker(
    testConfig(stack.nats.url, stack.dataDir, { ENERGYLIVE_NAMESPACE: stack.namespace }),
    { channels: false },
  );
  await broker.start();
  try {
    await broker.waitForServices(['query'], 30_000);
    return await broker.call<{ rows: number; keys: number }, { dataset: string; month: string }>(
      'query.monthStats',
      { dataset, month },
    );
  } finally {
    await broker.stop();
  }
}

/** A month of generation big enough that importing it takes a few seconds: 4 areas × 16 types. */
function bigMonth(): FixtureRow[] {
  const rows: FixtureRow[] = [];
  const types = [
    'Biomass',
    'Fossil Brown coal/Lignite',
    'Fossil Gas',
    'Fossil Hard coal',
    'Fossil Oil',
    'Geothermal',
    'Hydro Pumped Storage',
    'Hydro Run-of-river and poundage',
    'Hydro Water Reservoir',
    'Nuclear',
    'Other',
    'Other renewable',
    'Solar',
    'Waste',
    'Wind Offshore',
    'Wind Onshore',
  ];
  for (const [area, areaType] of [
    ['DE', 'CTY'],
    ['FR', 'CTY'],
    ['AT', 'CTY'],
    ['DE_LU', 'BZN'],
  ] as const) {
    for (const productionType of types) {
      rows.push(
        ...seriesRows({
          dataset: 'generation',
          area,
          areaType,
          productionType,
          from: '2022-01-01 00:00',
          intervals: 31 * 96,
        }),
      );
    }
  }
  return rows;
}

/**
 * An EventSource as browsers run it: when the server ends the stream or the connection breaks, it
 * reconnects after the `retry:` delay with `Last-Event-ID`, and it keeps the updates of every connection.
 */
class ReconnectingSseClient {
  connections = 0;
  private readonly past: SseEvent[] = [];
  private current: SseClient | undefined;
  private lastEventId: string | undefined;
  private stopped = false;
  private running: Promise<void> | undefined;

  constructor(
    private readonly url: string,
    private readonly headers: Record<string, string>,
  ) {}

  get updates(): SseEvent[] {
    return [...this.past, ...(this.current?.updates ?? [])];
  }

  /** Resolves once the first connection is ready. */
  async open(): Promise<void> {
    const first = await SseClient.connect(this.url, this.headers);
    await first.ready();
    this.running = this.follow(first);
  }

  async close(): Promise<void> {
    this.stopped = true;
    this.current?.close();
    await this.running;
  }

  private isStopped(): boolean {
    return this.stopped;
  }

  private async follow(first: SseClient): Promise<void> {
    let client: SseClient | undefined = first;
    while (!this.isStopped()) {
      let retry = 500;
      if (client) {
        this.current = client;
        this.connections++;
        await client.ended;
        this.past.push(...client.updates);
        this.lastEventId = client.events.findLast((e) => e.id !== undefined)?.id ?? this.lastEventId;
        this.current = undefined;
        retry = client.retry ?? 3_000;
      }
      if (this.isStopped()) return;
      await new Promise((r) => setTimeout(r, retry));
      const headers: Record<string, string> =
        this.lastEventId === undefined
          ? this.headers
          : { ...this.headers, 'Last-Event-ID': this.lastEventId };
      client = await SseClient.connect(this.url, headers).catch(() => undefined);
    }
    this.current?.close();
  }
}

/**
 * The disconnections and reconnections a process logged, per connection, in order. The broker writes
 * warnings to stderr, the rest to stdout.
 */
function outageLogs(p: EnergyLiveProcess): Record<string, string[]> {
  const warnings = p.stderr
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogLine);
  const lines = [...p.lines, ...warnings].sort((a, b) => String(a.time).localeCompare(String(b.time)));
  const logged: Record<string, string[]> = {};
  for (const l of lines) {
    if (l.event !== 'nats_disconnected' && l.event !== 'nats_reconnected') continue;
    (logged[String(l.connection)] ??= []).push(l.event);
  }
  return logged;
}

describe('NATS outages (fault lane)', function () {
  this.timeout(300_000);
  let stack: Stack | undefined;

  afterEach(async () => {
    await stopStack(stack);
    stack = undefined;
  });

  for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
    it(`idle, NATS ended with ${signal}: /readyz answers 503 within seconds, logs the disconnect, and 200 again once NATS is back`, async () => {
      stack = await startStack('importer,query,accounts,gateway');
      await readinessBecomes(stack, 200, READINESS_RECOVERY_MS);

      await stack.nats.halt(signal);
      const dropped = await readinessBecomes(stack, 503, READINESS_DROP_MS);
      // Longer than nats.js gives a connection by default (10 attempts 2 s apart): every connection of
      // the process must keep trying.
      await new Promise((r) => setTimeout(r, 25_000));
      expect(await readiness(stack.health)).to.equal(503);
      expect(await readiness(stack.gateway)).to.equal(503);
      await restartNats(stack);
      const recovered = await readinessBecomes(stack, 200, READINESS_RECOVERY_MS);

      const once = ['nats_disconnected', 'nats_reconnected'];
      expect(outageLogs(stack.process)).to.deep.equal({
        process: once,
        transporter: once,
        channels: once,
      });
      // The importer still takes files after the outage.
      const rows = seriesRows({ dataset: 'load', area: 'DE', from: '2022-02-01 00:00', intervals: 96 });
      await ingest(stack, 'load', rows);
      await stack.process.waitFor((l) => l.event === 'import_done' && l.month === '2022-02', 60_000);
      expect(await monthStats(stack, 'load', '2022-02')).to.deep.equal({ rows: 96, keys: 96 });
      console.log(`      readiness dropped after ${dropped} ms, recovered ${recovered} ms after NATS`);
    });
  }

  it('a SIGTERM while NATS is down ends the process within its stop timeout', async () => {
    stack = await startStack('importer,query,accounts,gateway');
    await stack.nats.halt('SIGKILL');
    await new Promise((r) => setTimeout(r, 3_000));
    const code = await exitWithin(stack.process, STOP_TIMEOUT_S + 5);
    expect(code, 'the process did not exit').not.to.equal('still running');
    // It stopped in order, not by the stop timeout's last resort.
    expect(code).to.equal(0);
    expect(stack.process.lines.some(event('stopped'))).to.equal(true);
    expect(stack.process.lines.some(event('stop_timeout'))).to.equal(false);
    expect(stack.process.lines.some(event('stopping'))).to.equal(true);
  });

  for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
    it(`NATS ended with ${signal} in the middle of an import: the month is imported once, with every row`, async () => {
      stack = await startStack('importer,query');
      const rows = bigMonth();
      await ingest(stack, 'generation', rows);
      await stack.process.waitFor(event('import_started'), 60_000);
      await stack.nats.halt(signal);
      await new Promise((r) => setTimeout(r, 2_000));
      await restartNats(stack);

      const done = await stack.process.waitFor(
        (l) => l.event === 'import_done' && l.month === '2022-01',
        180_000,
      );
      expect(done).to.include({ dataset: 'generation' });
      expect(await monthStats(stack, 'generation', '2022-01')).to.deep.equal({
        rows: rows.length,
        keys: rows.length,
      });
      expect(await importsDone(stack, 'generation', '2022-01')).to.equal(1);
    });
  }

  it('a SIGTERM in the middle of an import while NATS is down ends the process in time; a new process imports the month once', async () => {
    const definitions = definitionsWithAckWait(tempDir(), 2);
    try {
      stack = await startStack('importer,query', { ENERGYLIVE_NATS_DEFINITIONS: definitions });
      const rows = bigMonth();
      await ingest(stack, 'generation', rows);
      await stack.process.waitFor(event('import_started'), 60_000);
      await stack.nats.halt('SIGKILL');
      // The import may be waiting for its file from NATS: then the stop timeout ends the process.
      const code = await exitWithin(stack.process, STOP_TIMEOUT_S + 3);
      expect(code, 'the process did not exit').not.to.equal('still running');

      await restartNats(stack);
      const next = await stack.respawn();
      await next.waitFor((l) => l.event === 'import_done' && l.month === '2022-01', 120_000);
      expect(await monthStats(stack, 'generation', '2022-01')).to.deep.equal({
        rows: rows.length,
        keys: rows.length,
      });
      expect(await importsDone(stack, 'generation', '2022-01')).to.equal(1);
    } finally {
      fs.rmSync(definitions, { recursive: true, force: true });
    }
  });

  it('SSE clients open through NATS ended with SIGTERM, then SIGKILL, get every later update exactly once', async () => {
    stack = await startStack('importer,query,accounts,gateway');
    const s = stack;
    const token = await subscriberToken({
      base: s.gateway,
      natsUrl: s.nats.url,
      namespace: s.namespace,
      emailText: async (to) =>
        String((await s.process.waitFor((l) => l.event === 'email' && l.to === to)).text),
    });
    const base = seriesRows({
      dataset: 'load',
      area: 'DE',
      resolution: 'PT60M',
      from: '2022-01-01 00:00',
      intervals: 48,
    });
    await ingest(s, 'load', base);
    await s.process.waitFor((l) => l.event === 'import_done' && l.month === '2022-01');

    const url = `${s.gateway}/api/v1/stream?dataset=load&area=DE&from=2022-01-01&to=2022-01-03&resolution=PT60M`;
    const clients = Array.from(
      { length: 5 },
      () => new ReconnectingSseClient(url, { authorization: `Bearer ${token}` }),
    );
    await Promise.all(clients.map((c) => c.open()));

    const expected: number[] = [];
    let correction = 0;
    /** One more hour corrected; every client must get its update. */
    const correct = async () => {
      correction++;
      const hour = correction;
      const before = await lastSeq(s);
      await ingest(
        s,
        'load',
        base.map((r, i) =>
          i === hour ? { ...r, value: `${hour}.00`, updated: `2022-01-10 0${hour}:00:00` } : r,
        ),
      );
      const deadline = Date.now() + 60_000;
      while ((await lastSeq(s)) === before && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 100));
      expected.push(await lastSeq(s));
    };

    for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
      await correct();
      await s.nats.halt(signal);
      await readinessBecomes(s, 503, READINESS_DROP_MS);
      await new Promise((r) => setTimeout(r, 3_000));
      await restartNats(s);
      await readinessBecomes(s, 200, READINESS_RECOVERY_MS);
      await correct();
      await correct();
    }

    const deadline = Date.now() + 60_000;
    while (clients.some((c) => c.updates.length < expected.length) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 200));
    for (const [i, c] of clients.entries()) {
      expect(
        c.updates.map((e) => Number(e.id)),
        `client ${i} (${c.connections} connections)`,
      ).to.deep.equal(expected);
      const hours = c.updates.map((e) => (JSON.parse(e.data) as ColumnarSeries).t);
      expect(hours).to.deep.equal(expected.map((_, k) => [Date.UTC(2022, 0, 1, k + 1) / 1000]));
    }
    await Promise.all(clients.map((c) => c.close()));
  });
});

async function lastSeq(stack: Stack): Promise<number> {
  const jsm = await stack.nc.jetstreamManager();
  return (await jsm.streams.info(STREAMS.imports)).state.last_seq;
}
