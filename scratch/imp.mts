import fs from 'node:fs';
import { openClickHouse } from '../lib/clickhouse/connection.ts';
import { migrate } from '../lib/clickhouse/schema.ts';
import { importMonth } from '../lib/clickhouse/month-import.ts';
import { writeCanonicalFile } from '../lib/ingest/canonical-file.ts';
import { monthFromFileName } from '../lib/entsoe/parse-stream.ts';
fs.rmSync('/tmp/chtest/db4', { recursive: true, force: true });
const ch = openClickHouse({ url: undefined, database: 'energylive', embeddedPath: '/tmp/chtest/db4' });
const schema = { database: 'energylive' };
console.log('migrate', await migrate(ch, schema), await migrate(ch, schema));
for (const f of process.argv.slice(2)) {
  let t = Date.now();
  const name = f.split('/').pop()!;
  const c = await writeCanonicalFile(fs.createReadStream(f, { highWaterMark: 1 << 20 }), '/tmp/chtest/c.tsv.gz', { month: monthFromFileName(name) });
  const tp = Date.now() - t; t = Date.now();
  const r = await importMonth(ch, schema, { dataset: c.dataset, month: c.month!, sha256: c.sha256, file: c.path, fileName: name, source: 'x', layout: c.layout, rows: c.rows, rejected: c.rejected });
  console.log(name, c.rows, c.gzipBytes, 'parse', tp, 'import', Date.now() - t, r.status, r.changedPoints, r.changes.length, r.monthRows, JSON.stringify(r.changes[0]));
}
await ch.close();
