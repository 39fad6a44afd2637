/**
 * The parser side of `npm run bench:ingest`, as its own process so its peak memory is its own: from the
 * moment the file is available to the moment the importer reports the month queryable. Prints one JSON line.
 */
import fs from 'node:fs';
import path from 'node:path';
import { connect } from 'nats';
import { publishFile } from '../lib/pipeline/publish-file.js';
import { BUCKETS } from '../lib/pipeline/subjects.js';
import { openNatsFileStore } from '../lib/storage/nats-file-store.js';
import { ImportWaiter } from '../cli/commands/wait-import.js';

const [file, natsUrl, tmpDir] = process.argv.slice(2);
if (!file || !natsUrl || !tmpDir) throw new Error('usage: parser-run.ts <file> <nats url> <tmp dir>');
const nc = await connect({ servers: natsUrl });
const store = await openNatsFileStore(nc, BUCKETS.files);
// The month and dataset are known from the file name, so the waiter subscribes before anything is published.
const waiter = new ImportWaiter(nc, 'generation', process.env.BENCH_MONTH ?? '');
const started = process.hrtime.bigint();
const outcome = await publishFile(
  fs.createReadStream(file, { highWaterMark: 1 << 20 }),
  { kind: 'bench', name: path.basename(file), key: file, version: String(Date.now()) },
  { js: nc.jetstream(), store, tmpDir },
);
if (outcome.status !== 'published') throw new Error(`not published: ${outcome.status}`);
const published = process.hrtime.bigint();
const events = await waiter.wait((e) => e.sha256 === outcome.message.sha256, 600_000, false);
const done = process.hrtime.bigint();
await nc.close();
process.stdout.write(
  `${JSON.stringify({
    ms: Number(done - started) / 1e6,
    parseMs: outcome.parseMs,
    storeMs: outcome.storeMs,
    publishedMs: Number(published - started) / 1e6,
    rows: outcome.message.rows,
    gzipMB: outcome.message.object.bytes / 1024 / 1024,
    changedPoints: events?.reduce((n, e) => n + e.changedPoints, 0) ?? null,
    maxRssMB: process.resourceUsage().maxRSS / 1024,
  })}\n`,
);
