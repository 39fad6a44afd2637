import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import type { ClickHouse } from '../clickhouse/connection.js';
import { importMonth } from '../clickhouse/month-import.js';
import { writeCanonicalFile } from '../ingest/canonical-file.js';
import { tempDir } from '../../test/support/temp-dir.js';
import { preferredAreaType } from './area-type.js';
import { RESOLUTIONS } from './buckets.js';
import { parseSeriesRequest } from './series-request.js';
import { querySeries } from './series-query.js';
import { expectedRollup, type Interval } from '../../test/support/expected-rollup.js';
import { migratedClickHouse } from '../../test/support/clickhouse-fixture.js';

const SAMPLE = path.resolve(
  import.meta.dirname,
  '../../../shared/entsoe/samples/spirosdio_saas22-15/ATL-download-service/temp/2022_01_07_20_ActualTotalLoad6.1.A.csv',
);
const STEP: Record<string, number> = { PT15M: 900, PT30M: 1800, PT60M: 3600 };

/** The country rows of one area, read from the sample file with nothing but string splitting. */
function countryRows(text: string, area: string): Interval[] {
  const [header, ...lines] = text.split('\n').filter((l) => l !== '');
  const names = (header ?? '').split('\t');
  const col = (name: string) => names.indexOf(name);
  return lines
    .map((l) => l.split('\t'))
    .filter((f) => f[col('MapCode')] === area && f[col('AreaTypeCode')] === 'CTY')
    .map((f) => ({
      t: Date.parse(`${(f[col('DateTime')] ?? '').slice(0, 19).replace(' ', 'T')}Z`) / 1000,
      step: STEP[f[col('ResolutionCode')] ?? ''] ?? 3600,
      value: Number(f[col('TotalLoadValue')]),
    }))
    .sort((a, b) => a.t - b.t);
}

describe('series queries on a real ENTSO-E file', function () {
  this.timeout(60_000);
  if (!fs.existsSync(SAMPLE)) {
    it.skip('no samples folder beside the repository');
    return;
  }
  let dir: string;
  let ch: ClickHouse;
  const text = fs.readFileSync(SAMPLE, 'utf8');
  const schema = { database: 'energylive' };

  before(async () => {
    dir = tempDir();
    ch = await migratedClickHouse(dir, schema);
    const c = await writeCanonicalFile(fs.createReadStream(SAMPLE), path.join(dir, 'atl.gz'), {
      month: '2022-01',
    });
    await importMonth(ch, schema, {
      dataset: c.dataset,
      month: '2022-01',
      sha256: c.sha256,
      file: c.path,
      fileName: 'atl',
      source: 'test',
      layout: c.layout,
      rows: c.rows,
      rejected: c.rejected,
    });
  });

  after(async () => {
    await ch.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  // DE is quarter-hourly, IE half-hourly, FR hourly in January 2022.
  for (const area of ['DE', 'IE', 'FR']) {
    for (const resolution of RESOLUTIONS) {
      it(`${area} at ${resolution} equals an independent computation from the file`, async () => {
        const params = { dataset: 'load', area, from: '2022-01-02', to: '2022-01-07T18:00Z', resolution };
        const request = parseSeriesRequest(params);
        const result = await querySeries(
          ch,
          schema,
          request,
          await preferredAreaType(ch, schema, 'load', area),
        );
        const rows = countryRows(text, area);
        if (resolution === 'native') {
          const inRange = rows.filter((r) => r.t >= request.from && r.t < request.to);
          const values = result.series[0]?.values ?? [];
          const present = result.t.flatMap((t, i) => (values[i] === null ? [] : [[t, values[i]]]));
          expect(present).to.deep.equal(inRange.map((r) => [r.t, r.value]));
          // Every other point marks a missing interval: it starts where a stored interval ends.
          const ends = new Set(inRange.map((r) => r.t + r.step));
          result.t.forEach((t, i) => {
            if (values[i] === null) expect(ends.has(t), `gap marker at ${t}`).to.equal(true);
          });
          return;
        }
        const expected = expectedRollup(rows, request.from, request.to, resolution);
        expect(result.t).to.deep.equal(expected.t);
        (result.series[0]?.values ?? []).forEach((v, i) => {
          const e = expected.values[i] ?? null;
          if (e === null) expect(v).to.equal(null);
          else expect(v).to.be.closeTo(e, 1e-6);
        });
      });
    }
  }
});
