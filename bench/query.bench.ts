/**
 * `npm run bench:query`: latency of series requests through the gateway (HTTP → Moleculer → query actor →
 * ClickHouse → back) against the same SQL run directly on the engine, in the same run. Data: ten years of
 * load and one year of generation from the demo generator, imported through the real pipeline.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connect } from 'nats';
import { openClickHouse } from '../lib/clickhouse/connection.js';
import { preferredAreaType } from '../lib/query/area-type.js';
import { parseSeriesRequest } from '../lib/query/series-request.js';
import { querySeries } from '../lib/query/series-query.js';
import { freePort, startNatsServer } from '../test/support/nats-server.js';
import { EnergyLiveProcess, event } from '../test/support/energylive-process.js';
import type { DatasetName } from '../lib/config/env.js';
import { subscriberToken } from '../test/support/subscriber.js';
import { importDemoMonths } from './import-demo-months.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 30);
const LOAD_YEARS = Number(process.env.BENCH_LOAD_YEARS ?? 10);
const WARMUP = 5;
const LAST_YEAR = 2025;

const QUERIES: { label: string; params: Record<string, string> }[] = [
  {
    label: 'load, 1 year, native 15 min',
    params: { dataset: 'load', area: 'DE', from: `${LAST_YEAR}-01-01`, to: `${LAST_YEAR + 1}-01-01` },
  },
  {
    label: 'generation, all types, 1 year hourly',
    params: {
      dataset: 'generation',
      area: 'DE',
      from: `${LAST_YEAR}-01-01`,
      to: `${LAST_YEAR + 1}-01-01`,
      resolution: 'PT60M',
    },
  },
  {
    label: `load, ${LOAD_YEARS} years daily`,
    params: {
      dataset: 'load',
      area: 'DE',
      from: `${LAST_YEAR + 1 - LOAD_YEARS}-01-01`,
      to: `${LAST_YEAR + 1}-01-01`,
      resolution: 'P1D',
    },
  },
];

function percentile(xs: number[], p: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'energylive-bench-query-'));
const nats = await startNatsServer();
const port = await freePort();
const env = {
  ENERGYLIVE_DATA_DIR: path.join(work, 'energylive'),
  NATS_URL: nats.url,
  ENERGYLIVE_HEALTH_PORT: 'off',
  ENERGYLIVE_GATEWAY_PORT: String(port),
  ENERGYLIVE_GATEWAY_HOST: '127.0.0.1',
  LOG_LEVEL: 'info',
};
let server: EnergyLiveProcess | undefined = new EnergyLiveProcess(
  ['start', '--services', 'importer,query,accounts,gateway'],
  env,
);
try {
  await server.waitFor(event('gateway_listening'));
  const gatewayProcess = server;
  // Requests go as a subscriber's script would send them: with an API token, checked on every request.
  const token = await subscriberToken({
    base: `http://127.0.0.1:${port}`,
    natsUrl: nats.url,
    namespace: 'energylive',
    emailText: async (to) =>
      String((await gatewayProcess.waitFor((l) => l.event === 'email' && l.to === to)).text),
  });
  const nc = await connect({ servers: nats.url });
  const months: [DatasetName, string][] = [];
  for (let y = LAST_YEAR + 1 - LOAD_YEARS; y <= LAST_YEAR; y++)
    for (let m = 1; m <= 12; m++) months.push(['load', `${y}-${String(m).padStart(2, '0')}`]);
  for (let m = 1; m <= 12; m++) months.push(['generation', `${LAST_YEAR}-${String(m).padStart(2, '0')}`]);
  await importDemoMonths(nc, work, months);
  await nc.close();

  // Background merges of the freshly imported parts and the first calls' JIT would count against the
  // gateway, not the direct run measured later: let them settle, and discard a few warm-up rounds.
  await new Promise((resolve) => setTimeout(resolve, 10_000));
  const viaGateway: number[][] = QUERIES.map(() => []);
  const sizes: number[] = [];
  for (let r = -WARMUP; r < ROUNDS; r++) {
    for (const [i, q] of QUERIES.entries()) {
      const { dataset, ...query } = q.params;
      const url = `http://127.0.0.1:${port}/api/v1/${dataset ?? ''}?${new URLSearchParams(query).toString()}`;
      const t0 = performance.now();
      const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
      const body = await res.arrayBuffer();
      if (r >= 0) viaGateway[i]?.push(performance.now() - t0);
      if (res.status !== 200) throw new Error(`${url}: ${res.status} ${Buffer.from(body).toString()}`);
      sizes[i] = body.byteLength;
    }
  }
  await server.kill();
  server = undefined;

  // The same SQL on the same data, in this process: the engine's own time.
  const ch = openClickHouse({
    url: undefined,
    database: 'energylive',
    embeddedPath: path.join(work, 'energylive', 'clickhouse'),
  });
  const schema = { database: 'energylive' };
  const direct: number[][] = QUERIES.map(() => []);
  // The gateway's query actor caches the area type, so it is looked up once here too.
  const areaTypes = await Promise.all(
    QUERIES.map((q) => preferredAreaType(ch, schema, parseSeriesRequest(q.params).dataset, 'DE')),
  );
  for (let r = -WARMUP; r < ROUNDS; r++) {
    for (const [i, q] of QUERIES.entries()) {
      const request = parseSeriesRequest(q.params);
      const t0 = performance.now();
      const data = await querySeries(ch, schema, request, areaTypes[i] ?? null);
      JSON.stringify(data);
      if (r >= 0) direct[i]?.push(performance.now() - t0);
    }
  }
  await ch.close();

  const lines = [
    `machine   ${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'}, Node ${process.version}; ${ROUNDS} rounds`,
  ];
  QUERIES.forEach((q, i) => {
    const g = viaGateway[i] ?? [];
    const d = direct[i] ?? [];
    const [g50, g95, d50, d95] = [
      percentile(g, 0.5),
      percentile(g, 0.95),
      percentile(d, 0.5),
      percentile(d, 0.95),
    ];
    lines.push(
      `${q.label.padEnd(40)} gateway p50 ${g50.toFixed(1)} ms p95 ${g95.toFixed(1)} ms | direct p50 ${d50.toFixed(1)} ms p95 ${d95.toFixed(1)} ms | overhead ${(g50 / Math.max(d50, 0.001)).toFixed(2)}× (+${(g50 - d50).toFixed(1)} ms) | ${((sizes[i] ?? 0) / 1024).toFixed(0)} KiB`,
    );
  });
  process.stdout.write(`${lines.join('\n')}\n`);
} finally {
  await server?.kill();
  await nats.stop();
  if (process.env.BENCH_KEEP) process.stderr.write(`data kept in ${work}\n`);
  else fs.rmSync(work, { recursive: true, force: true });
}
