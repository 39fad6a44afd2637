import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { NatsConnection } from 'nats';
import { parseArgs } from 'node:util';
import type { Config } from '../../lib/config/env.js';
import { deadLetterUnreadable, publishFile } from '../../lib/pipeline/publish-file.js';
import { processTempDir } from '../../lib/ingest/temp-dirs.js';
import { PermanentFileError } from '../../lib/sources/permanent-file-error.js';
import { UnreadableFileError } from '../../lib/sources/unreadable-file-error.js';
import type { FileStore } from '../../lib/storage/file-store.js';
import { BUCKETS } from '../../lib/pipeline/subjects.js';
import { isZipName } from '../../lib/sources/dataset-name.js';
import { openFirstCsvEntry } from '../../lib/sources/zip.js';
import { openGcsFileStore } from '../../lib/storage/gcs-file-store.js';
import { openNatsFileStore } from '../../lib/storage/nats-file-store.js';
import { Progress, formatBytes } from '../progress.js';
import { UsageError } from '../usage-error.js';
import { connectNats } from './nats.js';
import { ImportWaiter, describeFailure } from './wait-import.js';

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

/** The stream's chunks, counting bytes as they pass for the progress line; a read error passes too. */
async function* counted(raw: Readable, onBytes: (n: number) => void): AsyncGenerator<Buffer> {
  let total = 0;
  for await (const chunk of raw as AsyncIterable<Buffer>) {
    total += chunk.length;
    onBytes(total);
    yield chunk;
  }
}

interface IngestContext {
  nc: NatsConnection;
  store: FileStore;
  tmpDir: string;
  progress: Progress;
  wait: boolean;
  timeoutMs: number;
}

/** Ingests one file; the line says how it went, `ok` whether it was imported (or published). */
async function ingestOne(
  file: string,
  label: string,
  c: IngestContext,
): Promise<{ ok: boolean; text: string }> {
  const name = path.basename(file);
  const stat = await fs.promises.stat(file);
  const started = Date.now();
  const ref = { kind: 'local', name, key: path.resolve(file), version: `${stat.size}-${stat.mtimeMs}` };
  let outcome;
  // Listening before anything is published: a first attempt can fail within milliseconds.
  const waiter = c.wait ? new ImportWaiter(c.nc) : null;
  try {
    const raw: Readable = isZipName(name)
      ? await openFirstCsvEntry(file)
      : fs.createReadStream(file, { highWaterMark: 1 << 20 });
    const input = counted(raw, (n) => {
      const rate = n / Math.max(0.001, (Date.now() - started) / 1000);
      c.progress.update(
        `${label}: parsing ${formatBytes(n)}${isZipName(name) ? '' : ` of ${formatBytes(stat.size)}`} (${formatBytes(rate)}/s)`,
      );
    });
    outcome = await publishFile(input, ref, { js: c.nc.jetstream(), store: c.store, tmpDir: c.tmpDir });
  } catch (err) {
    waiter?.close();
    if (!(err instanceof UnreadableFileError || err instanceof PermanentFileError)) throw err;
    await deadLetterUnreadable(c.nc.jetstream(), ref, null, err.message);
    return { ok: false, text: `${label}: rejected (unreadable): ${err.message}` };
  }
  if (outcome.status !== 'published') waiter?.close();
  if (outcome.status === 'rejected')
    return {
      ok: false,
      text: `${label}: rejected (${outcome.deadLetter.reason}): ${outcome.deadLetter.message}`,
    };
  if (outcome.status === 'empty')
    return { ok: true, text: `${label}: ${outcome.dataset}, no data rows; nothing to import` };
  const m = outcome.message;
  const rejected = Object.entries(m.rejected).map(([reason, n]) => `${reason} ${n}`);
  const summary = `${m.dataset} ${m.month}, ${m.rows} rows (${m.layout})${rejected.length ? `, rejected: ${rejected.join(', ')}` : ''}`;
  if (waiter === null)
    return {
      ok: true,
      text: `${label}: ${summary}; published${outcome.duplicate ? ' (duplicate, dropped)' : ''}`,
    };
  const waiting = Date.now();
  const ticker = setInterval(() => {
    c.progress.update(
      `${label}: ${summary}; waiting for the importer… ${Math.round((Date.now() - waiting) / 1000)} s`,
    );
  }, 1000);
  c.progress.update(`${label}: ${summary}; waiting for the importer…`);
  const result = await waiter
    .outcome({ dataset: m.dataset, month: m.month, sha256: m.sha256 }, c.timeoutMs, {
      done: true,
      failed: outcome.duplicate,
    })
    .finally(() => {
      clearInterval(ticker);
    });
  if (result.kind === 'failed')
    return { ok: false, text: `${label}: ${summary}; ${describeFailure(result.failure)}` };
  if (result.kind === 'timeout')
    return {
      ok: false,
      text: `${label}: ${summary}; no import within ${c.timeoutMs / 1000} s: ${result.why}`,
    };
  const events = result.events;
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (events[0]?.status === 'unchanged')
    return {
      ok: true,
      text: `${label}: ${summary}; unchanged: the stored month already held these values (${seconds} s)`,
    };
  const changed = events.reduce((n, e) => n + e.changedPoints, 0);
  const ranges = events.reduce((n, e) => n + e.changes.length, 0);
  if (changed === 0)
    return {
      ok: true,
      text: `${label}: ${summary}; imported: no value changed, newer update times or area labels stored (${seconds} s)`,
    };
  return {
    ok: true,
    text: `${label}: ${summary}; imported: ${changed} values new or corrected in ${ranges} ranges (${seconds} s)`,
  };
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
  const tmpDir = processTempDir(path.join(config.dataDir, 'tmp'));
  let failures = 0;
  try {
    for (const [index, file] of files.entries()) {
      const name = path.basename(file);
      const label = `[${index + 1}/${files.length}] ${name}`;
      try {
        const line = await ingestOne(file, label, { nc, store, tmpDir, progress, wait, timeoutMs });
        if (!line.ok) failures++;
        progress.done(line.text);
      } catch (err) {
        // Not about the file (NATS, the object store, a full disk here): say so, and go on with the next.
        failures++;
        progress.done(`${label}: failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  } finally {
    await fs.promises.rm(tmpDir, { recursive: true, force: true });
    await nc.drain();
  }
  return failures > 0 ? 1 : 0;
}
