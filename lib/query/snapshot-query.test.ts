import fs from 'node:fs';
import { expect } from 'chai';
import type { ClickHouse } from '../clickhouse/connection.js';
import { seriesRows, type FixtureRow } from '../../test/support/entsoe-fixture.js';
import { migratedClickHouse, storeRows } from '../../test/support/clickhouse-fixture.js';
import { tempDir } from '../../test/support/temp-dir.js';
import type { DatasetName } from '../config/env.js';
import { querySnapshot } from './snapshot-query.js';

const schema = { database: 'energylive' };
const epoch = (ts: string) => Date.parse(`${ts.replace(' ', 'T')}:00Z`) / 1000;

describe('snapshot of every country for the map', function () {
  this.timeout(60_000);
  let dir: string;
  let ch: ClickHouse;
  const store = (dataset: DatasetName, rows: FixtureRow[]) => storeRows(ch, schema, dataset, rows, dir);

  before(async () => {
    dir = tempDir();
    ch = await migratedClickHouse(dir, schema);
    await store('load', [
      ...seriesRows({
        dataset: 'load',
        area: 'DE',
        resolution: 'PT60M',
        from: '2022-05-01 00:00',
        intervals: 48,
        value: (i) => 40000 + i,
      }),
      // FR publishes an hour later than DE: its own newest interval counts.
      ...seriesRows({
        dataset: 'load',
        area: 'FR',
        resolution: 'PT60M',
        from: '2022-05-01 00:00',
        intervals: 47,
        value: (i) => 50000 + i,
      }),
      // Silent for days: no value rather than a stale one.
      ...seriesRows({
        dataset: 'load',
        area: 'PL',
        resolution: 'PT60M',
        from: '2022-04-20 00:00',
        intervals: 24,
        value: () => 20000,
      }),
      // A bidding zone is not a country.
      ...seriesRows({
        dataset: 'load',
        area: 'DE_LU',
        areaType: 'BZN',
        resolution: 'PT60M',
        from: '2022-05-01 00:00',
        intervals: 48,
      }),
    ]);
    const generation = (productionType: string, value: number) =>
      seriesRows({
        dataset: 'generation',
        area: 'DE',
        productionType,
        resolution: 'PT60M',
        from: '2022-05-02 22:00',
        intervals: 2,
        value: () => value,
      });
    await store('generation', [
      ...generation('Solar', 300),
      ...generation('Wind Onshore', 500),
      ...generation('Fossil Gas', 1000),
      // Pumping is negative generation: not part of the output the share is of.
      ...generation('Hydro Pumped Storage', -400),
    ]);
    const flow = (area: string, inArea: string, value: number) =>
      seriesRows({
        dataset: 'flows',
        area,
        inArea,
        resolution: 'PT60M',
        from: '2022-05-02 22:00',
        intervals: 2,
        value: () => value,
      });
    await store('flows', [...flow('DE', 'FR', 100), ...flow('FR', 'DE', 250), ...flow('DE', 'PL', 40)]);
  });

  after(async () => {
    await ch.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("gives each country's newest load, skipping countries silent for two days and non-country areas", async () => {
    const snapshot = await querySnapshot(ch, schema);
    expect(snapshot.load).to.deep.equal({ DE: 40047, FR: 50046 });
    expect(snapshot.at.load).to.equal(epoch('2022-05-02 23:00'));
  });

  it('gives the renewable share of the newest generation, of output only', async () => {
    const snapshot = await querySnapshot(ch, schema);
    expect(snapshot.renewableShare.DE).to.be.closeTo(800 / 1800, 1e-9);
  });

  it('nets both directions of a border into one arrow and sums each country over its borders', async () => {
    const snapshot = await querySnapshot(ch, schema);
    expect(snapshot.flows).to.deep.equal([
      { out: 'DE', in: 'PL', mw: 40 },
      { out: 'FR', in: 'DE', mw: 150 },
    ]);
    expect(snapshot.netImport).to.deep.equal({ DE: 250 - 100 - 40, FR: 100 - 250, PL: 40 });
  });
});
