import fs from 'node:fs';
import { expect } from 'chai';
import { DATASETS } from '../entsoe/datasets.js';
import { seriesRows, solarAndNuclearDay, type FixtureRow } from '../../test/support/entsoe-fixture.js';
import { storeRows } from '../../test/support/clickhouse-fixture.js';
import { oneNodeCluster, type OneNodeCluster } from '../../test/support/one-node-cluster.js';
import { tempDir } from '../../test/support/temp-dir.js';
import { preferredAreaType } from '../query/area-type.js';
import { parseSeriesRequest } from '../query/series-request.js';
import { querySeries } from '../query/series-query.js';
import { migrate } from './schema.js';

const schema = { database: 'energylive', cluster: 'grid' };

describe('importMonth on a cluster (CLICKHOUSE_CLUSTER)', function () {
  this.timeout(120_000);
  let dir: string;
  let node: OneNodeCluster;

  before(async () => {
    dir = tempDir();
    node = oneNodeCluster(dir, schema.database, schema.cluster);
    await migrate(node.ch, schema);
  });

  after(async () => {
    await node.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function rows<T>(query: string): Promise<T[]> {
    return (await node.ch.client.query({ query, format: 'JSONEachRow' })).json<T>();
  }

  const { de, fr } = solarAndNuclearDay();
  const corrected = de.map((r, i): FixtureRow =>
    i === 50 ? { ...r, value: '7.77', updated: '2022-01-05 00:00:00' } : r,
  );

  it('migrates to a replicated `_local` table and a Distributed table over it for every table', async () => {
    const tables = await rows<{ name: string; engine: string }>(
      "SELECT name, engine FROM system.tables WHERE database = 'energylive' ORDER BY name",
    );
    const names = Object.values(DATASETS).flatMap((d) => [d.name, `${d.name}_hourly`, `${d.name}_daily`]);
    for (const name of [...names, 'imports']) {
      expect(tables, name).to.deep.include({ name, engine: 'Distributed' });
      expect(tables.map((t) => t.name)).to.include(`${name}_local`);
    }
    expect(node.statements.filter((s) => /^(CREATE|TRUNCATE)/.test(s))).to.have.length.above(20);
    for (const sql of node.statements) expect(await node.parses(sql), sql).to.equal(true);
  });

  it('stores a month and a correction through the Distributed tables, and reports only the corrected range', async () => {
    const first = await storeRows(node.ch, schema, 'generation', [...de, ...fr], dir);
    expect(first).to.include({ status: 'imported', changedPoints: 120, monthRows: 120 });
    const second = await storeRows(node.ch, schema, 'generation', [...corrected, ...fr], dir);
    expect(second.changes).to.deep.equal([
      {
        series: { area_type: 'CTY', map_code: 'DE', production_type: 'Solar' },
        resolution: 'PT15M',
        from: '2022-01-01T12:30:00.000Z',
        to: '2022-01-01T12:45:00.000Z',
        points: 1,
      },
    ]);
    const stored = await rows<{ value: number }>(
      "SELECT value FROM energylive.generation WHERE map_code = 'DE' ORDER BY ts",
    );
    expect(stored.map((r) => r.value)).to.deep.equal(corrected.map((r) => Number(r.value)));
    const [noon] = await rows<{ mean: number }>(
      "SELECT vw / w AS mean FROM energylive.generation_hourly WHERE map_code = 'DE' AND hour = '2022-01-01 12:00:00'",
    );
    const hour = corrected.slice(48, 52).map((r) => Number(r.value));
    expect(noon?.mean).to.be.closeTo(hour.reduce((a, b) => a + b, 0) / 4, 1e-9);
    const request = parseSeriesRequest({
      dataset: 'generation',
      area: 'DE',
      from: '2022-01-01T12:00Z',
      to: '2022-01-01T14:00Z',
      resolution: 'PT60M',
    });
    const served = await querySeries(
      node.ch,
      schema,
      request,
      await preferredAreaType(node.ch, schema, 'generation', 'DE'),
    );
    expect(served.series[0]?.values[0]).to.be.closeTo(noon?.mean ?? NaN, 1e-9);
    const log = await rows<{ status: string }>(
      "SELECT status FROM energylive.imports WHERE dataset = 'generation' ORDER BY imported_at, status",
    );
    expect(log.map((r) => r.status)).to.deep.equal(['prepared', 'done', 'prepared', 'done']);
  });

  it('commits newer UpdateTimes of unchanged values through the Distributed tables, so an older file cannot win', async () => {
    const month = {
      dataset: 'load',
      area: 'FR',
      resolution: 'PT60M',
      from: '2024-09-01 00:00',
      intervals: 24,
    } as const;
    const values = seriesRows({ ...month, updated: '2024-09-02 00:00:00' });
    expect(await storeRows(node.ch, schema, 'load', values, dir)).to.include({ changedPoints: 24 });
    const from = node.statements.length;
    const newer = await storeRows(
      node.ch,
      schema,
      'load',
      values.map((r) => ({ ...r, updated: '2024-10-01 00:00:00' })),
      dir,
    );
    expect(newer).to.include({ status: 'imported', changedPoints: 0, monthRows: 24 });
    for (const sql of node.statements.slice(from)) expect(await node.parses(sql), sql).to.equal(true);
    const older = values.map((r) => ({ ...r, value: '1.00', updated: '2024-09-10 00:00:00' }));
    expect(await storeRows(node.ch, schema, 'load', older, dir)).to.include({ status: 'unchanged' });
    const stored = await rows<{ value: number; updated: string }>(
      "SELECT value, formatDateTime(updated, '%Y-%m-%d %H:%i:%S') AS updated FROM energylive.load WHERE toYYYYMM(ts) = 202409 ORDER BY ts",
    );
    expect(stored).to.deep.equal(
      values.map((r) => ({ value: Number(r.value), updated: '2024-10-01 00:00:00' })),
    );
  });

  it('issues statements ClickHouse parses: per-import replicated staging, swaps of `_local` partitions, each write awaited on every replica', async () => {
    const from = node.statements.length;
    const again = corrected.map((r, i): FixtureRow =>
      i === 10 ? { ...r, value: '1.50', updated: '2022-01-06 00:00:00' } : r,
    );
    await storeRows(node.ch, schema, 'generation', [...again, ...fr], dir);
    const issued = node.statements.slice(from);
    for (const sql of issued) expect(await node.parses(sql), sql).to.equal(true);

    const ddl = issued.filter((s) => /^(CREATE|DROP|ALTER|SYSTEM)/.test(s));
    for (const sql of ddl) expect(sql, sql).to.include(' ON CLUSTER grid');

    const staged = issued.flatMap(
      (s) => /^CREATE TABLE IF NOT EXISTS energylive\.(stage_\w+)_local /.exec(s)?.[1] ?? [],
    );
    expect(staged).to.have.length(4);
    for (const name of staged) {
      const create = issued.find((s) => s.startsWith(`CREATE TABLE IF NOT EXISTS energylive.${name}_local `));
      expect(create).to.include(
        `ReplicatedMergeTree('/clickhouse/tables/{shard}/energylive/${name}_local', '{replica}')`,
      );
      const sync = issued.indexOf(`SYSTEM SYNC REPLICA ON CLUSTER grid energylive.${name}_local`);
      const firstRead = issued.findIndex((s) => new RegExp(`FROM energylive\\.${name}(_local)?\\b`).test(s));
      expect(sync, `${name} is read before every replica has it`).to.be.within(0, firstRead - 1);
      for (const table of [name, `${name}_local`])
        expect(issued).to.include(`DROP TABLE IF EXISTS energylive.${table} ON CLUSTER grid SYNC`);
    }

    const swaps = issued.flatMap((s, i) => (s.startsWith('ALTER TABLE') ? [i] : []));
    expect(swaps.map((i) => issued[i]?.replace(/_[0-9a-f]{12}_local$/, '_local'))).to.deep.equal([
      'ALTER TABLE energylive.generation_daily_local ON CLUSTER grid REPLACE PARTITION 202201 FROM energylive.stage_daily_generation_local',
      'ALTER TABLE energylive.generation_hourly_local ON CLUSTER grid REPLACE PARTITION 202201 FROM energylive.stage_hourly_generation_local',
      'ALTER TABLE energylive.generation_local ON CLUSTER grid REPLACE PARTITION 202201 FROM energylive.stage_generation_local',
    ]);
    const targets = ['generation_daily_local', 'generation_hourly_local', 'generation_local'];
    swaps.forEach((i, k) =>
      expect(issued[i + 1]).to.equal(`SYSTEM SYNC REPLICA ON CLUSTER grid energylive.${targets[k] ?? ''}`),
    );

    const left = await rows(
      "SELECT name FROM system.tables WHERE database = 'energylive' AND startsWith(name, 'stage_')",
    );
    expect(left).to.deep.equal([]);
  });
});
