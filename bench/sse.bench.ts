/**
 * `npm run bench:sse`: one gateway process holding 10,000 idle SSE sessions opened from other processes.
 * Reports the gateway's memory per session, and, after an import that changes what a tenth of them watch,
 * how long until every one of those has its update and that no other session got one.
 * Targets: ≤ 20 KiB per idle client, every matching client served within 1 s.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { connect, type NatsConnection } from 'nats';
import { ImportWaiter } from '../cli/commands/wait-import.js';
import { publishFile } from '../lib/pipeline/publish-file.js';
import { BUCKETS, STREAMS, subjects } from '../lib/pipeline/subjects.js';
import type { FileStore } from '../lib/storage/file-store.js';
import { openNatsFileStore } from '../lib/storage/nats-file-store.js';
import { EnergyLiveProcess, event } from '../test/support/energylive-process.js';
import { entsoeFile, seriesRows, type FixtureRow } from '../test/support/entsoe-fixture.js';
import { freePort, startNatsServer } from '../test/support/nats-server.js';
import type { ClientGroup, ClientMessage, ClientPlan, ClientReport } from './sse-clients.js';
import { subscriberToken } from '../test/support/subscriber.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const tsx = fileURLToPath(new URL('../node_modules/tsx/dist/cli.mjs', import.meta.url));
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 10_000);
const CLIENT_PROCESSES = Number(process.env.BENCH_CLIENT_PROCESSES ?? 4);
const TARGET_KIB_PER_CLIENT = 20;
const TARGET_DELIVERY_MS = 1_000;
/** How long the gateway sits idle before its memory is read. */
const SETTLE_MS = 5_000;
/** How long matching clients may take before they count as unserved. */
const SERVED_TIMEOUT_MS = 30_000;
/** How long after the last matching client the others are still watched for a stray event. */
const QUIET_MS = 2_000;

const MONTH = '2024-01';
const FILE_NAME = '2024_01_ActualTotalLoad_6.1.A.csv';
// Real MapCodes: the parser refuses codes it does not know.
const AREAS = ['DE', 'FR', 'AT', 'BE', 'CH', 'CZ', 'ES', 'IT', 'NL'];
const HOURS = 31 * 24;
/** The correction rewrites DE from 10 to 13 January: hours 216 to 287 of the month. */
const CORRECTED = { first: 9 * 24, end: 12 * 24 };

function streamPath(area: string, from: string, to: string): string {
  const query = new URLSearchParams({ dataset: 'load', area, from, to, resolution: 'PT60M' });
  return `/api/v1/stream?${query.toString()}`;
}

/**
 * Ten equal groups: the matching one watches DE's month; of the nine others, one watches DE after the
 * corrected days (same area, range not touched) and eight watch other areas.
 */
const GROUPS: Omit<ClientGroup, 'clients'>[] = [
  { path: streamPath('DE', '2024-01-01', '2024-02-01'), matching: true },
  { path: streamPath('DE', '2024-01-20', '2024-02-01'), matching: false },
  ...AREAS.slice(1).map((area) => ({ path: streamPath(area, '2024-01-01', '2024-02-01'), matching: false })),
];

/** Part `i` of `total` split into `parts` as evenly as whole numbers allow. */
function share(total: number, parts: number, i: number): number {
  return Math.floor(total / parts) + (i < total % parts ? 1 : 0);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;
}

const count = (n: number) => n.toLocaleString('en-US');

/** The month's load of every area; with `corrected`, DE's values of the corrected days differ, updated later. */
function loadFile(corrected: boolean): Buffer {
  const rows = AREAS.flatMap((area) => {
    const series = seriesRows({
      dataset: 'load',
      area,
      resolution: 'PT60M',
      from: '2024-01-01 00:00',
      intervals: HOURS,
    });
    if (!corrected || area !== 'DE') return series;
    return series.map((row, i): FixtureRow =>
      i >= CORRECTED.first && i < CORRECTED.end
        ? { ...row, value: '4321.00', updated: '2024-02-01 12:00:00' }
        : row,
    );
  });
  return entsoeFile('load', 'official', rows);
}

/** Publishes a version of the month's file and resolves with the time "import done" was stored, epoch ms. */
async function importFile(
  nc: NatsConnection,
  store: FileStore,
  tmpDir: string,
  content: Buffer,
  version: string,
): Promise<{ published: number; done: number; changedPoints: number }> {
  const waiter = new ImportWaiter(nc, 'load', MONTH);
  const outcome = await publishFile(
    Readable.from([content]),
    { kind: 'bench', name: FILE_NAME, key: FILE_NAME, version },
    { js: nc.jetstream(), store, tmpDir },
  );
  if (outcome.status !== 'published') throw new Error(`${FILE_NAME} v${version}: ${outcome.status}`);
  const published = Date.now();
  const events = await waiter.wait((e) => e.sha256 === outcome.message.sha256, 60_000, false);
  const done = events?.[0];
  if (!done || events.length !== 1) throw new Error(`${FILE_NAME} v${version}: no single "import done"`);
  // The stream's own timestamp is when the gateway could first see the event, without this process's delay.
  const jsm = await nc.jetstreamManager();
  const stored = await jsm.streams.getMessage(STREAMS.imports, {
    last_by_subj: subjects.importDone('load', MONTH),
  });
  return { published, done: stored.time.getTime(), changedPoints: done.changedPoints };
}

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`${what}: not done within ${ms / 1000} s`));
    }, ms);
  });
  return Promise.race([promise, timeout]).finally(() => {
    clearTimeout(timer);
  });
}

/** A `bench/sse-clients.ts` process; each of its answers rejects if the process fails or exits first. */
class ClientProcess {
  readonly ready: Promise<unknown>;
  readonly served: Promise<unknown>;
  private readonly child: ChildProcess;
  private readonly ended: Promise<never>;
  private readonly exited: Promise<void>;
  private readonly handlers = new Map<ClientMessage['type'], (m: ClientMessage) => void>();

  constructor(plan: ClientPlan) {
    this.child = spawn(process.execPath, [tsx, path.join(here, 'sse-clients.ts'), JSON.stringify(plan)], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    this.exited = new Promise((resolve) => {
      this.child.once('exit', () => {
        resolve();
      });
    });
    let fail!: (err: Error) => void;
    this.ended = new Promise<never>((_, reject) => (fail = reject));
    this.child.once('exit', (code, signal) => {
      fail(new Error(`client process exited (${signal ?? String(code)})`));
    });
    this.handlers.set('failed', (m) => {
      fail(new Error(`client process: ${m.type === 'failed' ? m.error : ''}`));
    });
    // Writing to a process that has died fails; `ended` already says so.
    this.child.stdin?.on('error', () => undefined);
    readline.createInterface({ input: this.child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      let message: ClientMessage;
      try {
        message = JSON.parse(line) as ClientMessage;
      } catch {
        fail(new Error(`client process wrote ${JSON.stringify(line)}`));
        return;
      }
      this.handlers.get(message.type)?.(message);
    });
    this.ready = this.expect('ready');
    this.served = this.expect('served');
    // Awaited later or not at all (when another step fails first): never an unhandled rejection.
    for (const p of [this.ended, this.ready, this.served]) p.catch(() => undefined);
  }

  report(): Promise<ClientReport> {
    const answer = this.expect('report');
    this.child.stdin?.write('report\n');
    return answer as Promise<ClientReport>;
  }

  /** Closing stdin ends the process; the signal is for one that does not. */
  async stop(): Promise<void> {
    this.child.stdin?.end();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
    await this.exited;
    clearTimeout(timer);
  }

  private expect(type: ClientMessage['type']): Promise<ClientMessage> {
    const message = new Promise<ClientMessage>((resolve) => this.handlers.set(type, resolve));
    return Promise.race([message, this.ended]);
  }
}

/**
 * The gateway's open SSE sessions, update events written and V8 heap in use, from the `/metrics` of its
 * process's health port (the gateway's own port does not serve them).
 */
async function gatewayMetrics(port: number): Promise<{ sessions: number; events: number; heap: number }> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const value = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
  return {
    sessions: value('energylive_gateway_sse_sessions'),
    events: value('energylive_gateway_sse_events_total'),
    heap: value('nodejs_heap_size_used_bytes'),
  };
}

function rss(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? NaN) * 1024;
}

/**
 * Memory of the gateway process after SETTLE_MS of quiet: RSS at the end, and the smallest heap seen
 * over the period, as what is in use between two garbage collections is what the sessions really hold.
 */
async function settledMemory(pid: number, metricsPort: number): Promise<{ rss: number; heap: number }> {
  let heap = Infinity;
  for (let waited = 0; waited < SETTLE_MS; waited += 1_000) {
    await sleep(1_000);
    heap = Math.min(heap, (await gatewayMetrics(metricsPort)).heap);
  }
  return { rss: rss(pid), heap };
}

/** The gateway holds every session's socket, and inherits this process's limit. */
function checkFileLimit(): void {
  const limits = fs.readFileSync('/proc/self/limits', 'utf8');
  const soft = Number(/^Max open files\s+(\d+)/m.exec(limits)?.[1] ?? Infinity);
  if (soft < CLIENTS + 1_000)
    throw new Error(`open file limit ${soft} is too low for ${CLIENTS} clients: raise it with ulimit -n`);
}

checkFileLimit();
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'energylive-bench-sse-'));
const nats = await startNatsServer();
const port = await freePort();
let server: EnergyLiveProcess | undefined;
let data: EnergyLiveProcess | undefined;
let nc: NatsConnection | undefined;
const clients: ClientProcess[] = [];
try {
  // The gateway runs in a process of its own, as it scales in production: its memory is the sessions'.
  data = new EnergyLiveProcess(['start', '--services', 'importer,query,accounts'], {
    ENERGYLIVE_DATA_DIR: path.join(work, 'energylive'),
    NATS_URL: nats.url,
    ENERGYLIVE_HEALTH_PORT: 'off',
    LOG_LEVEL: 'info',
  });
  await data.waitFor(event('started'));
  const metricsPort = await freePort();
  server = new EnergyLiveProcess(['start', '--services', 'gateway'], {
    ENERGYLIVE_DATA_DIR: path.join(work, 'gateway'),
    NATS_URL: nats.url,
    ENERGYLIVE_HEALTH_PORT: String(metricsPort),
    ENERGYLIVE_GATEWAY_PORT: String(port),
    ENERGYLIVE_GATEWAY_HOST: '127.0.0.1',
    // Every client streams with the one subscriber's token: no per-subscriber stream limit here.
    ENERGYLIVE_MAX_STREAMS_PER_SUBSCRIBER: '0',
    LOG_LEVEL: 'info',
  });
  await server.waitFor(event('gateway_listening'));
  const gatewayPid = server.pid ?? NaN;
  const dataProcess = data;
  const token = await subscriberToken({
    base: `http://127.0.0.1:${port}`,
    natsUrl: nats.url,
    namespace: 'energylive',
    emailText: async (to) =>
      String((await dataProcess.waitFor((l) => l.event === 'email' && l.to === to)).text),
  });
  nc = await connect({ servers: nats.url });
  const store = await openNatsFileStore(nc, BUCKETS.files);
  const tmpDir = path.join(work, 'tmp');
  await importFile(nc, store, tmpDir, loadFile(false), '1');

  const idle = await settledMemory(gatewayPid, metricsPort);
  const before = await gatewayMetrics(metricsPort);
  const connecting = Date.now();
  for (let p = 0; p < CLIENT_PROCESSES; p++) {
    const groups = GROUPS.map((g, i) => ({
      ...g,
      clients: share(share(CLIENTS, GROUPS.length, i), CLIENT_PROCESSES, p),
    }));
    clients.push(new ClientProcess({ port, token, groups }));
  }
  await within(Promise.all(clients.map((c) => c.ready)), 180_000, 'opening the sessions');
  const connectedS = (Date.now() - connecting) / 1000;
  const loaded = await settledMemory(gatewayPid, metricsPort);
  const held = await gatewayMetrics(metricsPort);

  const correction = await importFile(nc, store, tmpDir, loadFile(true), '2');
  // Waits for every matching client or the timeout, after which the reports count the unserved ones; a
  // client process that fails rejects at once.
  await Promise.race([
    Promise.all(clients.map((c) => c.served)),
    sleep(SERVED_TIMEOUT_MS, undefined, { ref: false }),
  ]);
  await sleep(QUIET_MS);
  const reports = await Promise.all(clients.map((c) => c.report()));
  const after = await gatewayMetrics(metricsPort);

  const matching = share(CLIENTS, GROUPS.length, 0);
  const nonMatching = CLIENTS - matching;
  const delivery = reports
    .flatMap((r) => r.firstUpdates.map((t) => t - correction.done))
    .sort((a, b) => a - b);
  const unserved = reports.reduce((n, r) => n + r.unserved, 0);
  const wronglyUpdated = reports.reduce((n, r) => n + r.wronglyUpdated, 0);
  const closed = reports.reduce((n, r) => n + r.closed, 0);
  const rssKiB = (loaded.rss - idle.rss) / 1024 / CLIENTS;
  const heapKiB = (loaded.heap - idle.heap) / 1024 / CLIENTS;
  const max = delivery.at(-1) ?? NaN;
  const mb = (bytes: number) => (bytes / 1024 ** 2).toFixed(0);

  const lines = [
    `machine     ${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'}, ${(os.totalmem() / 1024 ** 3).toFixed(0)} GiB, Node ${process.version}`,
    `clients     ${count(CLIENTS)} SSE sessions from ${CLIENT_PROCESSES} processes, open in ${connectedS.toFixed(1)} s; gateway reports ${count(held.sessions - before.sessions)}`,
    `memory      ${rssKiB.toFixed(1)} KiB per idle client (RSS ${mb(idle.rss)} → ${mb(loaded.rss)} MB), ${heapKiB.toFixed(1)} KiB (heap ${mb(idle.heap)} → ${mb(loaded.heap)} MB); target ≤ ${TARGET_KIB_PER_CLIENT} KiB`,
    `import      ${correction.changedPoints} points of DE changed; file published → "import done" ${correction.done - correction.published} ms`,
    `delivery    p50 ${percentile(delivery, 0.5)} ms p99 ${percentile(delivery, 0.99)} ms max ${max} ms to ${count(delivery.length)} of ${count(matching)} matching clients, from "import done"; target ≤ ${TARGET_DELIVERY_MS} ms`,
    `events      ${count(after.events - held.events)} update events written by the gateway`,
    `nonmatching ${count(wronglyUpdated)} of ${count(nonMatching)} got an event`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);

  const failures = [
    unserved > 0 && `${count(unserved)} matching clients got no update within ${SERVED_TIMEOUT_MS / 1000} s`,
    wronglyUpdated > 0 && `${count(wronglyUpdated)} non-matching clients got an update`,
    closed > 0 && `the gateway ended ${count(closed)} idle sessions`,
    !(max <= TARGET_DELIVERY_MS) && `the last matching client was served after ${max} ms`,
    !(rssKiB <= TARGET_KIB_PER_CLIENT) && `${rssKiB.toFixed(1)} KiB per idle client`,
  ].filter((f) => f !== false);
  for (const f of failures) process.stderr.write(`FAILED: ${f}\n`);
  if (failures.length > 0) process.exitCode = 1;
} finally {
  await Promise.all(clients.map((c) => c.stop()));
  await nc?.close();
  await server?.kill();
  await data?.kill();
  await nats.stop();
  fs.rmSync(work, { recursive: true, force: true });
}
