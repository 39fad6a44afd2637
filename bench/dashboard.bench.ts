/**
 * `npm run bench:dashboard`: the subscriber's dashboard in headless Chromium against the real gateway and
 * services, with a year of demo load and generation imported through the pipeline. Reports the time from
 * navigation to the first chart (cold and warm browser cache), the time to draw a year of 15-minute
 * generation of every production type (the chart's `energylive:chart-draw` User Timing measure), and the
 * JavaScript the page loads. Targets (on the p50, the machine being noisy): first chart drawn ≤ 1.5 s
 * after navigation, the year drawn in ≤ 150 ms, ≤ 250 KB of gzip JavaScript.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { connect, type NatsConnection } from 'nats';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { DatasetName } from '../lib/config/env.js';
import { launchChromium, VIEWPORTS } from '../test/support/browser.js';
import { EnergyLiveProcess, event } from '../test/support/energylive-process.js';
import { freePort, startNatsServer } from '../test/support/nats-server.js';
import { grantAccess, signUp } from '../test/support/subscriber.js';
import { importDemoMonths } from './import-demo-months.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const DIST = path.join(ROOT, 'dashboard/dist');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 10);
/** The first round also warms the gateway, the query actor and ClickHouse up: not counted. */
const WARMUP = 1;
const YEAR = 2025;
const TARGET_FIRST_CHART_MS = 1_500;
const TARGET_DRAW_MS = 150;
const TARGET_GZIP_KB = 250;
const KB = 1000;

/** The default view of a country: load over the last 7 days of its data. */
const FIRST_CHART_PATH = '/app?area=DE';
const YEAR_PATH = `/app?dataset=generation&area=DE&from=${YEAR}-01-01&to=${YEAR + 1}-01-01&resolution=native`;

/**
 * Runs in every document before the app: notes when the first uPlot chart with its canvas enters the DOM,
 * as `performance.now()`, which counts from the navigation's start. A string, as the root tsconfig has
 * no DOM types for code that runs in the page.
 */
const FIRST_CHART_SCRIPT = `{
  const observer = new MutationObserver(() => {
    if (!document.querySelector('.uplot canvas')) return;
    window.__energyliveFirstChart = performance.now();
    observer.disconnect();
  });
  observer.observe(document, { childList: true, subtree: true });
}`;

interface FirstChart {
  /** The chart with its canvas is in the DOM, ms after navigation start. */
  inDom: number;
  /** uPlot finished its first draw (end of `energylive:chart-draw`). */
  drawn: number;
}

/** What the bench reads of a script's Resource Timing entry (a `PerformanceResourceTiming` in the page). */
interface ResourceSizes {
  name: string;
  transferSize: number;
  encodedBodySize: number;
  decodedBodySize: number;
}

interface ScriptBytes {
  file: string;
  encoding: string;
  transfer: number;
  encoded: number;
  decoded: number;
  gzip: number;
}

function percentile(xs: number[], p: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;
}

const p50 = (xs: number[]) => percentile(xs, 0.5);
const max = (xs: number[]) => Math.max(...xs);
const ms = (xs: number[]) => `p50 ${p50(xs).toFixed(0)} ms max ${max(xs).toFixed(0)} ms`;
const kb = (bytes: number) => `${(bytes / KB).toFixed(1)} KB`;

function newestChange(file: string): number {
  const stat = fs.statSync(file);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(
    stat.mtimeMs,
    ...fs
      .readdirSync(file, { recursive: true, encoding: 'utf8' })
      .map((f) => fs.statSync(path.join(file, f)).mtimeMs),
  );
}

/** The gateway serves `dashboard/dist`: a build older than its sources would measure the wrong app. */
function buildDashboardIfStale(): void {
  const index = path.join(DIST, 'index.html');
  const sources = ['dashboard/src', 'dashboard/index.html', 'dashboard/vite.config.ts'].map((f) =>
    newestChange(path.join(ROOT, f)),
  );
  if (fs.existsSync(index) && fs.statSync(index).mtimeMs >= Math.max(...sources)) return;
  process.stderr.write('building the dashboard\n');
  // stdout carries the results only: the build's output goes to stderr.
  execFileSync('npm', ['run', 'build:dashboard'], { cwd: ROOT, stdio: ['ignore', 2, 2] });
}

async function importYear(nc: NatsConnection, work: string): Promise<void> {
  await importDemoMonths(
    nc,
    work,
    (['generation', 'load'] as const).flatMap((dataset) =>
      Array.from({ length: 12 }, (_, m): [DatasetName, string] => [
        dataset,
        `${YEAR}-${String(m + 1).padStart(2, '0')}`,
      ]),
    ),
  );
}

/** A fresh browser profile (empty cache) signed in as the subscriber, watching for the first chart. */
async function signedInContext(browser: Browser, base: string, session: string): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: VIEWPORTS.desktop });
  await context.addCookies([
    { name: 'energylive_session', value: session, url: base, httpOnly: true, sameSite: 'Lax' },
  ]);
  await context.addInitScript({ content: FIRST_CHART_SCRIPT });
  return context;
}

async function firstChart(page: Page, url: string): Promise<FirstChart> {
  await page.goto(url);
  const handle = await page.waitForFunction(
    () => {
      const inDom = (globalThis as { __energyliveFirstChart?: number }).__energyliveFirstChart;
      const draw = performance.getEntriesByName('energylive:chart-draw')[0];
      return inDom !== undefined && draw ? { inDom, drawn: draw.startTime + draw.duration } : null;
    },
    undefined,
    { timeout: 60_000 },
  );
  return (await handle.jsonValue()) as FirstChart;
}

/** Every script the page loaded, as Resource Timing saw it, with its file's gzip -9 size from the build. */
async function scriptBytes(page: Page, encodings: Map<string, string>): Promise<ScriptBytes[]> {
  const entries = await page.evaluate(() =>
    performance
      .getEntriesByType('resource')
      .filter((e) => new URL(e.name).pathname.endsWith('.js'))
      .map((e) => e.toJSON() as ResourceSizes),
  );
  return entries.map((e) => {
    const file = new URL(e.name).pathname;
    return {
      file,
      encoding: encodings.get(e.name) ?? '?',
      transfer: e.transferSize,
      encoded: e.encodedBodySize,
      decoded: e.decodedBodySize,
      gzip: zlib.gzipSync(fs.readFileSync(path.join(DIST, file)), { level: 9 }).length,
    };
  });
}

/** The year's chart drawn from a navigation, and the page's own fetch + JSON.parse of the same answer. */
async function yearChart(page: Page, url: string) {
  await page.goto(url);
  const handle = await page.waitForFunction(
    () => {
      const draw = performance.getEntriesByName('energylive:chart-draw')[0];
      return draw ? { draw: draw.duration } : null;
    },
    undefined,
    { timeout: 120_000 },
  );
  const { draw } = (await handle.jsonValue()) as { draw: number };
  const reference = await page.evaluate(async () => {
    const request = performance
      .getEntriesByType('resource')
      .find((e) => new URL(e.name).pathname === '/api/v1/generation');
    if (!request) throw new Error('the page made no generation request');
    // The URL the app asked for; data answers carry neither freshness nor validators, so this goes to the
    // gateway again as the app's request did.
    const t0 = performance.now();
    const res = await fetch(request.name);
    const text = await res.text();
    const t1 = performance.now();
    const doc = JSON.parse(text) as { t: unknown[]; series: unknown[] };
    const t2 = performance.now();
    return {
      fetchAndParse: t2 - t0,
      parse: t2 - t1,
      bytes: text.length,
      times: doc.t.length,
      series: doc.series.length,
    };
  });
  return { draw, ...reference };
}

buildDashboardIfStale();
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'energylive-bench-dashboard-'));
const nats = await startNatsServer();
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
let server: EnergyLiveProcess | undefined;
let nc: NatsConnection | undefined;
let browser: Browser | undefined;
try {
  server = new EnergyLiveProcess(['start', '--services', 'importer,query,accounts,gateway'], {
    ENERGYLIVE_DATA_DIR: path.join(work, 'energylive'),
    NATS_URL: nats.url,
    ENERGYLIVE_HEALTH_PORT: 'off',
    ENERGYLIVE_GATEWAY_PORT: String(port),
    ENERGYLIVE_GATEWAY_HOST: '127.0.0.1',
    // The session cookie and the app's same-origin checks are for the address the browser uses.
    ENERGYLIVE_PUBLIC_URL: base,
    LOG_LEVEL: 'info',
  });
  await server.waitFor(event('gateway_listening'));
  const accounts = server;
  const email = `bench-${Date.now()}@example.com`;
  const { cookie } = await signUp(base, email, 'correct horse battery staple', async (to) =>
    String((await accounts.waitFor((l) => l.event === 'email' && l.to === to)).text),
  );
  await grantAccess(nats.url, 'energylive', email);
  const session = cookie.slice(cookie.indexOf('=') + 1);

  nc = await connect({ servers: nats.url });
  const importing = Date.now();
  await importYear(nc, work);
  const importS = (Date.now() - importing) / 1000;
  browser = await launchChromium();

  const cold: FirstChart[] = [];
  const warm: FirstChart[] = [];
  let scripts: ScriptBytes[] = [];
  for (let r = -WARMUP; r < ROUNDS; r++) {
    const context = await signedInContext(browser, base, session);
    try {
      const page = await context.newPage();
      const encodings = new Map<string, string>();
      page.on('response', (res) => {
        if (res.request().resourceType() === 'script')
          encodings.set(res.url(), res.headers()['content-encoding'] ?? 'identity');
      });
      const first = await firstChart(page, `${base}${FIRST_CHART_PATH}`);
      // Taken after the first load, before the second fills everything from the cache.
      scripts = await scriptBytes(page, encodings);
      const second = await firstChart(page, `${base}${FIRST_CHART_PATH}`);
      if (r >= 0) {
        cold.push(first);
        warm.push(second);
      }
    } finally {
      await context.close();
    }
    process.stderr.write(`\rfirst chart: round ${r + 1 + WARMUP}/${ROUNDS + WARMUP}`);
  }
  process.stderr.write('\n');

  const year: Awaited<ReturnType<typeof yearChart>>[] = [];
  const context = await signedInContext(browser, base, session);
  try {
    const page = await context.newPage();
    for (let r = -WARMUP; r < ROUNDS; r++) {
      const round = await yearChart(page, `${base}${YEAR_PATH}`);
      if (r >= 0) year.push(round);
      process.stderr.write(`\ryear of generation: round ${r + 1 + WARMUP}/${ROUNDS + WARMUP}`);
    }
  } finally {
    await context.close();
  }
  process.stderr.write('\n');

  const coldDrawn = cold.map((c) => c.drawn);
  const draws = year.map((y) => y.draw);
  const shape = year[0] ?? { times: 0, series: 0, bytes: 0 };
  const gzip = scripts.reduce((n, s) => n + s.gzip, 0);
  const sum = (key: 'transfer' | 'encoded' | 'decoded') => scripts.reduce((n, s) => n + s[key], 0);
  const served = [...new Set(scripts.map((s) => s.encoding))].join(', ');
  const lines = [
    `machine      ${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'}, ${(os.totalmem() / 1024 ** 3).toFixed(0)} GiB, Node ${process.version}, Chromium ${browser.version()}; ${ROUNDS} rounds`,
    `data         DE ${YEAR}: 12 months of load and 12 of generation from the demo, imported in ${importS.toFixed(0)} s`,
    `first chart  ${FIRST_CHART_PATH} cold cache: in DOM ${ms(cold.map((c) => c.inDom))}, drawn ${ms(coldDrawn)}; target ≤ ${TARGET_FIRST_CHART_MS} ms`,
    `             warm cache: in DOM ${ms(warm.map((c) => c.inDom))}, drawn ${ms(warm.map((c) => c.drawn))}`,
    `year draw    ${shape.times.toLocaleString('en-US')} times × ${shape.series} types = ${(shape.times * shape.series).toLocaleString('en-US')} points: chart-draw ${ms(draws)}; target ≤ ${TARGET_DRAW_MS} ms`,
    `             reference: fetch + JSON.parse of the same ${(shape.bytes / 1e6).toFixed(1)} MB answer ${ms(year.map((y) => y.fetchAndParse))} (JSON.parse ${ms(year.map((y) => y.parse))})`,
    `javascript   ${scripts.length} scripts: ${kb(gzip)} gzip -9; served (${served}) ${kb(sum('encoded'))} bodies, ${kb(sum('transfer'))} transferred, ${kb(sum('decoded'))} decoded; target ≤ ${TARGET_GZIP_KB} KB gzip`,
    ...scripts.map(
      (s) =>
        `             ${s.file.padEnd(36)} ${kb(s.gzip).padStart(9)} gzip ${kb(s.encoded).padStart(9)} ${s.encoding} ${kb(s.decoded).padStart(9)} raw`,
    ),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);

  const failures = [
    !(p50(coldDrawn) <= TARGET_FIRST_CHART_MS) &&
      `first chart drawn ${p50(coldDrawn).toFixed(0)} ms after navigation (p50, cold cache)`,
    !(p50(draws) <= TARGET_DRAW_MS) && `a year of generation drawn in ${p50(draws).toFixed(0)} ms (p50)`,
    !(gzip <= TARGET_GZIP_KB * KB) && `${kb(gzip)} of gzip JavaScript`,
  ].filter((f) => f !== false);
  for (const f of failures) process.stderr.write(`FAILED: ${f}\n`);
  if (failures.length > 0) process.exitCode = 1;
} finally {
  await browser?.close();
  await nc?.close();
  await server?.kill();
  await nats.stop();
  fs.rmSync(work, { recursive: true, force: true });
}
