import fs from 'node:fs';
import path from 'node:path';
import type { NatsConnection } from 'nats';
import { ImportWaiter } from '../cli/commands/wait-import.js';
import type { DatasetName } from '../lib/config/env.js';
import { officialFileName, writeMonthFile } from '../lib/demo/generator.js';
import { publishFile } from '../lib/pipeline/publish-file.js';
import { BUCKETS } from '../lib/pipeline/subjects.js';
import { openNatsFileStore } from '../lib/storage/nats-file-store.js';

/**
 * Whole demo months through the real pipeline, one after the other, each awaited until imported: the
 * data the benchmarks measure against. Shows progress on stderr; each file is removed once imported.
 */
export async function importDemoMonths(
  nc: NatsConnection,
  work: string,
  months: [DatasetName, string][],
): Promise<void> {
  const store = await openNatsFileStore(nc, BUCKETS.files);
  const started = Date.now();
  for (const [i, [dataset, month]] of months.entries()) {
    const file = path.join(work, officialFileName(dataset, month));
    const [y, mo] = month.split('-').map(Number) as [number, number];
    await writeMonthFile({
      dataset,
      month,
      until: new Date(Date.UTC(y, mo, 1)),
      out: fs.createWriteStream(file),
    });
    const waiter = new ImportWaiter(nc, dataset, month);
    const outcome = await publishFile(
      fs.createReadStream(file, { highWaterMark: 1 << 20 }),
      { kind: 'bench', name: path.basename(file), key: file, version: '1' },
      { js: nc.jetstream(), store, tmpDir: path.join(work, 'tmp') },
    );
    if (outcome.status !== 'published') throw new Error(`${file}: ${outcome.status}`);
    await waiter.wait((e) => e.sha256 === outcome.message.sha256, 600_000, false);
    fs.rmSync(file);
    process.stderr.write(
      `\rimported ${i + 1}/${months.length} months (${((Date.now() - started) / 1000).toFixed(0)} s)`,
    );
  }
  process.stderr.write('\n');
}
