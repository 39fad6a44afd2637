/**
 * `npm run bench:ingest`: a month-scale generation file (official layout, all area types) through the
 * whole pipeline — parser process → JetStream → importer process → ClickHouse — against embedded
 * ClickHouse loading the same file natively, measured in the same run because the machines are noisy.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { officialFileName, writeMonthFile } from '../lib/demo/generator.js';
import { startNatsServer } from '../test/support/nats-server.js';
import { EnergyLiveProcess, event } from '../test/support/energylive-process.js';

const run = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));
const tsx = fileURLToPath(new URL('../node_modules/tsx/dist/cli.mjs', import.meta.url));
const MONTH = process.env.BENCH_MONTH ?? '2026-01';
const REPEAT = Number(process.env.BENCH_REPEAT ?? 3);

function peakRssMB(pid: number | undefined): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
}

async function node(
  script: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<Record<string, number>> {
  const { stdout } = await run(process.execPath, [tsx, path.join(here, script), ...args], {
    env: { ...process.env, ...env },
    maxBuffer: 1 << 20,
  });
  return JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as Record<string, number>;
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'energylive-bench-'));
const file = path.join(work, officialFileName('generation', MONTH));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

/** One round on a fresh NATS and an empty ClickHouse, so every import is a first import like the reference. */
async function pipelineRound(round: number): Promise<Record<string, number>> {
  const nats = await startNatsServer();
  const dataDir = path.join(work, `energylive-${round}`);
  const importer = new EnergyLiveProcess(['start', '--services', 'importer,query'], {
    ENERGYLIVE_DATA_DIR: dataDir,
    NATS_URL: nats.url,
    ENERGYLIVE_DATASETS: 'generation',
    ENERGYLIVE_HEALTH_PORT: 'off',
    LOG_LEVEL: 'info',
  });
  try {
    await importer.waitFor(event('started'));
    const result = await node('parser-run.ts', [file, nats.url, path.join(work, 'tmp')], {
      BENCH_MONTH: MONTH,
    });
    const done = await importer.waitFor(event('import_done'));
    const timings: Record<string, number> = {};
    for (const [k, v] of Object.entries((done.timings ?? {}) as Record<string, number>))
      timings[`import_${k}`] = v;
    return { ...result, ...timings, importerRssMB: peakRssMB(importer.pid) };
  } finally {
    await importer.kill();
    await nats.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

try {
  process.stderr.write(`generating ${path.basename(file)}…\n`);
  const [year, month] = MONTH.split('-').map(Number) as [number, number];
  const generated = await writeMonthFile({
    dataset: 'generation',
    month: MONTH,
    until: new Date(Date.UTC(year, month, 1)),
    out: fs.createWriteStream(file),
  });
  const mb = fs.statSync(file).size / 1024 / 1024;
  process.stderr.write(`${generated.rows} rows, ${mb.toFixed(1)} MB\n`);

  const natives: Record<string, number>[] = [];
  const pipelines: Record<string, number>[] = [];
  for (let i = 0; i < REPEAT; i++) {
    const native = await node('native-load.ts', [file, path.join(work, `native-${i}`)]);
    fs.rmSync(path.join(work, `native-${i}`), { recursive: true, force: true });
    natives.push(native);
    const result = await pipelineRound(i);
    pipelines.push(result);
    process.stderr.write(
      `round ${i + 1}/${REPEAT}: native ${((native.ms ?? 0) / 1000).toFixed(2)} s, pipeline ${((result.ms ?? 0) / 1000).toFixed(2)} s\n`,
    );
  }
  const large = await node('parse-large.ts', [file, '7']);
  const nativeS = median(natives.map((n) => n.ms ?? 0)) / 1000;
  const pipelineMs = median(pipelines.map((p) => p.ms ?? 0));
  const typical = pipelines.find((p) => p.ms === pipelineMs) ?? {};
  const pipelineS = pipelineMs / 1000;
  const peak = (key: string, xs: Record<string, number>[]) =>
    Math.max(...xs.map((x) => x[key] ?? 0)).toFixed(0);
  const lines = [
    `machine   ${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'}, ${(os.totalmem() / 1024 ** 3).toFixed(0)} GiB, Node ${process.version}`,
    `file      generation ${MONTH}, official layout, all area types: ${generated.rows} rows, ${mb.toFixed(1)} MB`,
    `native    ${nativeS.toFixed(2)} s  embedded ClickHouse INSERT … SELECT FROM file(), median of ${REPEAT}; peak RSS ${peak('maxRssMB', natives)} MB`,
    `pipeline  ${pipelineS.toFixed(2)} s  file available → queryable, median of ${REPEAT}: parse+compress ${((typical.parseMs ?? 0) / 1000).toFixed(2)} s, store ${((typical.storeMs ?? 0) / 1000).toFixed(2)} s, import ${(((typical.ms ?? 0) - (typical.publishedMs ?? 0)) / 1000).toFixed(2)} s`,
    `import    ${['download', 'load', 'merge', 'diff', 'commit'].map((k) => `${k} ${((typical[`import_${k}`] ?? 0) / 1000).toFixed(2)} s`).join(', ')}`,
    `rows/s    ${(generated.rows / pipelineS).toFixed(0)} pipeline, ${(generated.rows / nativeS).toFixed(0)} native`,
    `peak RSS  parser ${peak('maxRssMB', pipelines)} MB, importer+query ${peak('importerRssMB', pipelines)} MB`,
    `large     parser alone on the file's rows 7 times over (${((large.bytes ?? 0) / 1024 ** 3).toFixed(2)} GB, ${large.rows} rows): ${((large.ms ?? 0) / 1000).toFixed(1)} s, peak RSS ${(large.maxRssMB ?? 0).toFixed(0)} MB`,
    `ratio     ${(pipelineS / nativeS).toFixed(2)} (pipeline / native; target ≤ 5)`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
