import fs from 'node:fs';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import type { Config } from '../../lib/config/env.js';
import { publishFile } from '../../lib/pipeline/publish-file.js';
import { BUCKETS } from '../../lib/pipeline/subjects.js';
import { isZipName } from '../../lib/sources/dataset-name.js';
import { openFirstCsvEntry } from '../../lib/sources/zip.js';
import { openGcsFileStore } from '../../lib/storage/gcs-file-store.js';
import { openNatsFileStore } from '../../lib/storage/nats-file-store.js';
import { Progress, formatBytes } from '../progress.js';
import { UsageError } from '../usage-error.js';
import { connectNats } from './nats.js';
import { ImportWaiter } from './wait-import.js';

async function expand(paths: string[]): Promise<string[]> {
  const files: string[] = [];
  for (const p of paths) {
    const stat = await fs.promises.stat(p).catch(() => null);
    if (!stat) throw new UsageError(`no such file or folder: ${p}`);
    if (stat.isDirectory()) {
      const entries = await fs.promises.readdir(p, { recursive: true, withFileTypes: true });
      const found = entries
        .filter((e) => e.isFile() && /\.(csv|zip)$/i.test(e.name))
        .map((e) => path.join(e.parentPath, e.name))
        .sort();
      files.push(...found);
    } else files.push(p);
  }
  return files;
}

/** Counts bytes as they stream past, for the progress line. */
function counter(onBytes: (n: number) => void): Transform {
  let total = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      total += chunk.length;
      onBytes(total);
      done(null, chunk);
    },
  });
}

/** `energylive ingest <file|folder>...`: parse here, store, publish, and wait until each file is imported. */
export async function runIngest(args: string[], config: Config): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      wait: { type: 'boolean', default: true },
      'no-wait': { type: 'boolean' },
      timeout: { type: 'string', default: '600' },
    },
  });
  if (positionals.length === 0) throw new UsageError('give at least one file or folder');
  const timeoutMs = Number(values.timeout) * 1000;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0)
    throw new UsageError('--timeout must be a number of seconds');
  const wait = values.wait && !values['no-wait'];
  const files = await expand(positionals);
  const nc = await connectNats(config);
  const store = config.objectStore.gcsBucket
    ? openGcsFileStore(config.objectStore.gcsBucket)
    : await openNatsFileStore(nc, BUCKETS.files);
  const progress = new Progress();
  let failures = 0;
  try {
    for (const [index, file] of files.entries()) {
      const name = path.basename(file);
      const label = `[${index + 1}/${files.length}] ${name}`;
      const stat = await fs.promises.stat(file);
      const started = Date.now();
      let raw: Readable;
      try {
        raw = isZipName(name)
          ? await openFirstCsvEntry(file)
          : fs.createReadStream(file, { highWaterMark: 1 << 20 });
      } catch (err) {
        failures++;
        progress.done(`${label}: rejected (unreadable): ${(err as Error).message}`);
        continue;
      }
      const input = raw.pipe(
        counter((n) => {
          const rate = n / Math.max(0.001, (Date.now() - started) / 1000);
          progress.update(
            `${label}: parsing ${formatBytes(n)}${isZipName(name) ? '' : ` of ${formatBytes(stat.size)}`} (${formatBytes(rate)}/s)`,
          );
        }),
      );
      const outcome = await publishFile(
        input,
        { kind: 'local', name, key: path.resolve(file), version: `${stat.size}-${stat.mtimeMs}` },
        { js: nc.jetstream(), store, tmpDir: path.join(config.dataDir, 'tmp') },
      );
      if (outcome.status === 'rejected') {
        failures++;
        progress.done(`${label}: rejected (${outcome.deadLetter.reason}): ${outcome.deadLetter.message}`);
        continue;
      }
      if (outcome.status === 'empty') {
        progress.done(`${label}: ${outcome.dataset}, no data rows; nothing to import`);
        continue;
      }
      const m = outcome.message;
      const rejected = Object.entries(m.rejected).map(([reason, n]) => `${reason} ${n}`);
      const summary = `${m.dataset} ${m.month}, ${m.rows} rows (${m.layout})${rejected.length ? `, rejected: ${rejected.join(', ')}` : ''}`;
      if (!wait) {
        progress.done(`${label}: ${summary}; published${outcome.duplicate ? ' (duplicate, dropped)' : ''}`);
        continue;
      }
      const waiter = new ImportWaiter(nc, m.dataset, m.month);
      progress.update(`${label}: ${summary}; waiting for the importer…`);
      const events = await waiter.wait(
        (e) => e.sha256 === m.sha256 && e.replay === undefined,
        timeoutMs,
        true,
      );
      if (!events) {
        failures++;
        progress.done(`${label}: ${summary}; no import within ${values.timeout} s (is an importer running?)`);
        continue;
      }
      const changed = events.reduce((n, e) => n + e.changedPoints, 0);
      const ranges = events.reduce((n, e) => n + e.changes.length, 0);
      progress.done(
        `${label}: ${summary}; ${events[0]?.status ?? 'imported'}: ${changed} values new or corrected in ${ranges} ranges (${((Date.now() - started) / 1000).toFixed(1)} s)`,
      );
    }
  } finally {
    await nc.drain();
  }
  return failures > 0 ? 1 : 0;
}
