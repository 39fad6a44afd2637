import path from 'node:path';
import { Readable } from 'node:stream';
import { randomBytes } from 'node:crypto';
import { openClickHouse, type ClickHouse } from '../../lib/clickhouse/connection.js';
import { importMonth, type MonthImportResult } from '../../lib/clickhouse/month-import.js';
import { migrate, type SchemaOptions } from '../../lib/clickhouse/schema.js';
import type { DatasetName } from '../../lib/config/env.js';
import { writeCanonicalFile } from '../../lib/ingest/canonical-file.js';
import { entsoeFile, type FixtureRow } from './entsoe-fixture.js';

/** Embedded ClickHouse in `dir` with EnergyLive's schema, as a test starts from. */
export async function migratedClickHouse(dir: string, schema: SchemaOptions): Promise<ClickHouse> {
  const ch = openClickHouse({
    url: undefined,
    database: schema.database,
    embeddedPath: path.join(dir, 'clickhouse'),
  });
  await migrate(ch, schema);
  return ch;
}

/** Imports fixture rows (one month) straight into ClickHouse, through the parser and the month import. */
export async function storeRows(
  ch: ClickHouse,
  schema: SchemaOptions,
  dataset: DatasetName,
  rows: FixtureRow[],
  tmpDir: string,
): Promise<MonthImportResult> {
  const file = path.join(tmpDir, `${dataset}-${randomBytes(4).toString('hex')}.tsv.gz`);
  const c = await writeCanonicalFile(Readable.from([entsoeFile(dataset, 'official', rows)]), file, {});
  if (c.month === null) throw new Error('fixture rows without a month');
  return importMonth(ch, schema, {
    dataset: c.dataset,
    month: c.month,
    sha256: c.sha256,
    file: c.path,
    fileName: path.basename(file),
    source: 'test',
    layout: c.layout,
    rows: c.rows,
    rejected: c.rejected,
  });
}
