import fs from 'node:fs';
import { expect } from 'chai';
import type { ClickHouse } from '../clickhouse/connection.js';
import { seriesRows, type FixtureRow } from '../../test/support/entsoe-fixture.js';
import { tempDir } from '../../test/support/temp-dir.js';
import type { DatasetName } from '../config/env.js';
import { BadRequest } from './bad-request.js';
import { preferredAreaType } from './area-type.js';
import { parseStatsRequest } from './series-request.js';
import { queryStats } from './stats-query.js';
import { migratedClickHouse, storeRows } from '../../test/support/clickhouse-fixture.js';

const schema = { database: 'energylive' };
const STEP: Record<string, number> = { PT15M: 900, PT30M: 1800, PT60M: 3600 };
const epoch = (ts: string) => Date.parse(`${ts.replace(' ', 'T')}Z`) / 1000;

/** Statistics computed from the fixture rows alone, the way the API defines them. */
function expected(rows: FixtureRow[]) {
  const items = rows.map((r) => ({
    t: epoch(r.ts ?? ''),
    v: Number(r.value),
    w: STEP[r.resolution ?? ''] ?? 3600,
  }));
  const total = items.reduce((n, x) => n + x.w, 0);
  const sum = items.reduce((n, x) => n + x.v * x.w, 0);
  const byValue = [...items].sort((a, b) => a.v - b.v || a.t - b.t);
  const quantile = (level: number) => {
    let acc = 0;
    for (const x of byValue) {
      acc += x.w;
      if (acc >= level * total) return x.v;
    }
    return null;
  };
  const min = byValue[0];
  const max = [...items].sort((a, b) => b.v - a.v || a.t - b.t)[0];
  const profile: (number | null)[] = new Array<number | null>(24).fill(null);
  for (let h = 0; h < 24; h++) {
    const hour = items.filter((x) => new Date(x.t * 1000).getUTCHours() === h);
    const w = hour.reduce((n, x) => n + x.w, 0);
    if (w > 0) profile[h] = hour.reduce((n, x) => n + x.v * x.w, 0) / w;
  }
  return {
    count: items.length,
    min,
    max,
    mean: sum / total,
    energyMWh: sum / 3600,
    p5: quantile(0.05),
    p50: quantile(0.5),
    p95: quantile(0.95),
    profile,
  };
}

describe('statistics', function () {
  this.timeout(60_000);
  let dir: string;
  let ch: ClickHouse;
  // Hourly for a day, then quarter-hourly: every statistic must weigh a value by its interval.
  const de = [
    ...seriesRows({
      dataset: 'load',
      area: 'DE',
      resolution: 'PT60M',
      from: '2022-05-01 00:00',
      intervals: 24,
      value: (i) => 40000 + ((i * 37) % 24) * 100,
    }),
    ...seriesRows({
      dataset: 'load',
      area: 'DE',
      resolution: 'PT15M',
      from: '2022-05-02 00:00',
      intervals: 96,
      value: (i) => 45000 + ((i * 53) % 96) * 10.25,
    }),
  ];
  const solar = seriesRows({
    dataset: 'generation',
    area: 'DE',
    productionType: 'Solar',
    resolution: 'PT60M',
    from: '2022-05-01 00:00',
    intervals: 24,
    value: (i) => (i >= 6 && i < 18 ? 1000 : 0),
  });
  const nuclear = seriesRows({
    dataset: 'generation',
    area: 'DE',
    productionType: 'Nuclear',
    resolution: 'PT60M',
    from: '2022-05-01 00:00',
    intervals: 24,
    value: () => 1500,
  });
  const flows = [
    ...seriesRows({
      dataset: 'flows',
      area: 'DE',
      inArea: 'FR',
      resolution: 'PT60M',
      from: '2022-05-01 00:00',
      intervals: 24,
      value: () => 100,
    }),
    ...seriesRows({
      dataset: 'flows',
      area: 'FR',
      inArea: 'DE',
      resolution: 'PT60M',
      from: '2022-05-01 00:00',
      intervals: 24,
      value: () => 250,
    }),
    ...seriesRows({
      dataset: 'flows',
      area: 'DE',
      inArea: 'PL',
      resolution: 'PT15M',
      from: '2022-05-01 00:00',
      intervals: 96,
      value: () => 40,
    }),
  ];

  const store = (dataset: DatasetName, rows: FixtureRow[]) => storeRows(ch, schema, dataset, rows, dir);

  before(async () => {
    dir = tempDir();
    ch = await migratedClickHouse(dir, schema);
    await store('load', de);
    await store('generation', [...solar, ...nuclear]);
    await store('flows', flows);
  });

  after(async () => {
    await ch.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function stats(params: Record<string, string>) {
    const request = parseStatsRequest(params);
    return queryStats(
      ch,
      schema,
      request,
      await preferredAreaType(ch, schema, request.dataset, request.area),
    );
  }

  it('gives min and max with their times, time-weighted mean, percentiles, energy and the hourly profile', async () => {
    const result = await stats({ dataset: 'load', area: 'DE', from: '2022-05-01', to: '2022-05-03' });
    const e = expected(de);
    const s = result.series[0];
    expect(s?.name).to.equal('DE');
    expect(s?.count).to.equal(e.count);
    expect(s?.min).to.deep.equal({ value: e.min?.v, t: e.min?.t });
    expect(s?.max).to.deep.equal({ value: e.max?.v, t: e.max?.t });
    expect(s?.mean).to.be.closeTo(e.mean, 1e-6);
    expect(s?.energyMWh).to.be.closeTo(e.energyMWh, 1e-6);
    expect([s?.p5, s?.p50, s?.p95]).to.deep.equal([e.p5, e.p50, e.p95]);
    s?.profile.forEach((v, h) => {
      expect(v).to.be.closeTo(e.profile[h] ?? Number.NaN, 1e-6);
    });
  });

  it("gives each production type's share of the energy generated", async () => {
    const result = await stats({ dataset: 'generation', area: 'DE', from: '2022-05-01', to: '2022-05-02' });
    // Solar: 12 h × 1000 MW = 12,000 MWh; nuclear: 24 h × 1500 MW = 36,000 MWh.
    expect(result.shares).to.deep.equal({ Nuclear: 0.75, Solar: 0.25 });
    expect(result.series.map((s) => [s.name, s.energyMWh])).to.deep.equal([
      ['Nuclear', 36000],
      ['Solar', 12000],
    ]);
  });

  it('gives the net import balance of an area over all its borders, each direction apart', async () => {
    const result = await stats({ dataset: 'flows', area: 'DE', from: '2022-05-01', to: '2022-05-02' });
    expect(result.balance).to.deep.equal({
      importMWh: 6000,
      exportMWh: 2400 + 960,
      netImportMWh: 6000 - 3360,
      borders: [
        { partner: 'FR', importMWh: 6000, exportMWh: 2400 },
        { partner: 'PL', importMWh: 0, exportMWh: 960 },
      ],
    });
    expect(result.series.map((s) => s.name)).to.deep.equal(['DE→FR', 'DE→PL']);
    const one = await stats({ dataset: 'flows', area: 'DE', in: 'PL', from: '2022-05-01', to: '2022-05-02' });
    expect(one.series.map((s) => s.name)).to.deep.equal(['DE→PL']);
  });

  it('takes any span but refuses a resolution, naming it', () => {
    expect(
      parseStatsRequest({ dataset: 'load', area: 'DE', from: '2015-01-01', to: '2025-01-01' }).to,
    ).to.equal(epoch('2025-01-01 00:00:00'));
    expect(() =>
      parseStatsRequest({
        dataset: 'load',
        area: 'DE',
        from: '2015-01-01',
        to: '2025-01-01',
        resolution: 'P1D',
      }),
    )
      .to.throw(BadRequest)
      .with.property('parameter', 'resolution');
  });
});
