import fs from 'node:fs';
import { expect } from 'chai';
import type { ClickHouse } from '../clickhouse/connection.js';
import { seriesRows, type FixtureRow } from '../../test/support/entsoe-fixture.js';
import { tempDir } from '../../test/support/temp-dir.js';
import { preferredAreaType } from './area-type.js';
import { parseSeriesRequest } from './series-request.js';
import { querySeries } from './series-query.js';
import type { DatasetName } from '../config/env.js';
import { migratedClickHouse, storeRows } from '../../test/support/clickhouse-fixture.js';
import { expectedRollup, type Interval } from '../../test/support/expected-rollup.js';

const schema = { database: 'energylive' };
const STEP: Record<string, number> = { PT15M: 900, PT30M: 1800, PT60M: 3600 };
const intervals = (rows: FixtureRow[]): Interval[] =>
  rows.map((r) => ({ t: epoch(r.ts ?? ''), step: STEP[r.resolution ?? ''] ?? 3600, value: Number(r.value) }));
const epoch = (ts: string) => Date.parse(`${ts.replace(' ', 'T')}Z`) / 1000;

describe('series queries', function () {
  this.timeout(120_000);
  let dir: string;
  let ch: ClickHouse;
  // DE: hourly in January, quarter-hourly from February: a resolution change on a month boundary.
  const deJan = seriesRows({
    dataset: 'load',
    area: 'DE',
    resolution: 'PT60M',
    from: '2022-01-30 00:00',
    intervals: 48,
    value: (i) => 40000 + i * 10.5,
  });
  const deFeb = seriesRows({
    dataset: 'load',
    area: 'DE',
    resolution: 'PT15M',
    from: '2022-02-01 00:00',
    intervals: 96 * 3,
    value: (i) => 50000 + (i % 96) * 3.25,
  });
  // The same MapCode as a bidding zone with other values: never mixed into the country's series.
  const deBzn = seriesRows({
    dataset: 'load',
    area: 'DE',
    areaType: 'BZN',
    resolution: 'PT60M',
    from: '2022-02-01 00:00',
    intervals: 24,
    value: () => 1,
  });
  // FR: a resolution change inside a month, and a gap of two hours.
  const frHourly = seriesRows({
    dataset: 'load',
    area: 'FR',
    resolution: 'PT60M',
    from: '2022-03-01 00:00',
    intervals: 12,
    value: (i) => 60000 + i * 100,
  });
  const frQuarter = seriesRows({
    dataset: 'load',
    area: 'FR',
    resolution: 'PT15M',
    from: '2022-03-01 12:00',
    intervals: 40,
    value: (i) => 61000 + i * 7.75,
  });
  const frAfterGap = seriesRows({
    dataset: 'load',
    area: 'FR',
    resolution: 'PT15M',
    from: '2022-03-01 24:00',
    intervals: 8,
    value: () => 62000,
  });
  const solar = seriesRows({
    dataset: 'generation',
    area: 'DE',
    productionType: 'Solar',
    from: '2022-02-01 00:00',
    intervals: 96,
    value: (i) => (i > 30 && i < 70 ? i * 10 : 0),
  });
  const wind = seriesRows({
    dataset: 'generation',
    area: 'DE',
    productionType: 'Wind Onshore',
    resolution: 'PT60M',
    from: '2022-02-01 00:00',
    intervals: 24,
    value: (i) => 20000 + i,
  });

  const load = (dataset: DatasetName, rows: FixtureRow[]) => storeRows(ch, schema, dataset, rows, dir);

  before(async () => {
    dir = tempDir();
    ch = await migratedClickHouse(dir, schema);
    await load('load', deJan);
    await load('load', [...deFeb, ...deBzn]);
    await load('load', [...frHourly, ...frQuarter, ...frAfterGap]);
    await load('generation', [...solar, ...wind]);
  });

  after(async () => {
    await ch.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function series(params: Record<string, string>) {
    const request = parseSeriesRequest(params);
    return querySeries(
      ch,
      schema,
      request,
      await preferredAreaType(ch, schema, request.dataset, request.area),
    );
  }

  it('returns native intervals of the country rows exactly, across a resolution change at a month boundary', async () => {
    const result = await series({
      dataset: 'load',
      area: 'DE',
      from: '2022-01-31T20:00Z',
      to: '2022-02-01T01:00Z',
    });
    const expected = [...deJan, ...deFeb].filter(
      (r) =>
        epoch(r.ts ?? '') >= epoch('2022-01-31 20:00:00') && epoch(r.ts ?? '') < epoch('2022-02-01 01:00:00'),
    );
    expect(result.t).to.deep.equal(expected.map((r) => epoch(r.ts ?? '')));
    expect(result.series).to.deep.equal([{ name: 'DE', values: expected.map((r) => Number(r.value)) }]);
    expect(result).to.include({ dataset: 'load', area: 'DE', resolution: 'native', unit: 'MW' });
  });

  for (const resolution of ['PT15M', 'PT30M', 'PT60M', 'P1D', 'P1W', 'P1M'] as const) {
    it(`rolls up to ${resolution} as the time-weighted mean power, across a month boundary and a resolution change`, async () => {
      const from = epoch('2022-01-30 00:00:00');
      const to = epoch('2022-02-04 00:00:00');
      const result = await series({
        dataset: 'load',
        area: 'DE',
        from: '2022-01-30',
        to: '2022-02-04',
        resolution,
      });
      const expected = expectedRollup(intervals([...deJan, ...deFeb]), from, to, resolution);
      expect(result.t).to.deep.equal(expected.t);
      const values = result.series[0]?.values ?? [];
      expect(values).to.have.length(expected.values.length);
      values.forEach((v, i) => {
        const e = expected.values[i] ?? null;
        if (e === null) expect(v).to.equal(null);
        else expect(v).to.be.closeTo(e, 1e-6);
      });
    });
  }

  it('rolls up correctly when the resolution changes inside a month, and shows a gap as null', async () => {
    const result = await series({
      dataset: 'load',
      area: 'FR',
      from: '2022-03-01',
      to: '2022-03-02',
      resolution: 'PT60M',
    });
    const expected = expectedRollup(
      intervals([...frHourly, ...frQuarter]),
      epoch('2022-03-01 00:00:00'),
      epoch('2022-03-02 00:00:00'),
      'PT60M',
    );
    expect(result.t).to.deep.equal(expected.t);
    (result.series[0]?.values ?? []).forEach((v, i) => {
      const e = expected.values[i] ?? null;
      if (e === null) expect(v).to.equal(null);
      else expect(v).to.be.closeTo(e, 1e-6);
    });
    expect(result.series[0]?.values.slice(22)).to.deep.equal([null, null]);
    const native = await series({
      dataset: 'load',
      area: 'FR',
      from: '2022-03-01T21:00Z',
      to: '2022-03-02T00:30Z',
    });
    const at = (ts: string) => native.t.indexOf(epoch(ts));
    expect(native.series[0]?.values[at('2022-03-01 21:45:00')]).to.equal(Number(frQuarter.at(-1)?.value));
    expect(native.series[0]?.values[at('2022-03-01 22:00:00')]).to.equal(null);
    expect(native.series[0]?.values[at('2022-03-02 00:00:00')]).to.equal(62000);
  });

  it('rolls up a range that starts inside an hour from the stored intervals, not the hourly sums', async () => {
    const from = epoch('2022-02-01 00:30:00');
    const to = epoch('2022-02-01 06:00:00');
    const result = await series({
      dataset: 'load',
      area: 'DE',
      from: '2022-02-01T00:30Z',
      to: '2022-02-01T06:00Z',
      resolution: 'PT60M',
    });
    const expected = expectedRollup(intervals(deFeb), from, to, 'PT60M');
    expect(result.t).to.deep.equal(expected.t);
    (result.series[0]?.values ?? []).forEach((v, i) => {
      expect(v).to.be.closeTo(expected.values[i] ?? Number.NaN, 1e-6);
    });
  });

  it('gives every production type of an area on one time axis when no type is asked for', async () => {
    const result = await series({
      dataset: 'generation',
      area: 'DE',
      from: '2022-02-01T00:00Z',
      to: '2022-02-01T02:00Z',
    });
    expect(result.series.map((s) => s.name)).to.deep.equal(['Solar', 'Wind Onshore']);
    expect(result.t).to.have.length(8);
    expect(result.series[1]?.values).to.deep.equal([20000, null, null, null, 20001, null, null, null]);
    const one = await series({
      dataset: 'generation',
      area: 'DE',
      type: 'Wind Onshore',
      from: '2022-02-01',
      to: '2022-02-02',
      resolution: 'P1D',
    });
    expect(one.series).to.deep.equal([{ name: 'Wind Onshore', values: [20011.5] }]);
  });

  it('answers an area without data with an empty series, not an error', async () => {
    const result = await series({
      dataset: 'load',
      area: 'XX',
      from: '2022-02-01',
      to: '2022-02-02',
      resolution: 'PT60M',
    });
    expect(result.series).to.deep.equal([]);
  });
});
