import fs from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import { DATASETS } from '../entsoe/datasets.js';
import { migratedClickHouse } from '../../test/support/clickhouse-fixture.js';
import { oneNodeCluster } from '../../test/support/one-node-cluster.js';
import { tempDir } from '../../test/support/temp-dir.js';
import type { ClickHouse } from './connection.js';
import { measurementTable, migrate, type SchemaOptions } from './schema.js';
import { dropLeftoverStaging, StagingTables } from './staging-tables.js';

async function tableNames(ch: ClickHouse): Promise<string[]> {
  const result = await ch.client.query({
    query:
      "SELECT name FROM system.tables WHERE database = 'energylive' AND startsWith(name, 'stage_') ORDER BY name",
    format: 'JSONEachRow',
  });
  return (await result.json<{ name: string }>()).map((r) => r.name);
}

/** Leaves a staging table behind, as an importer killed mid-import does, and lets a second pass. */
async function leftover(ch: ClickHouse, schema: SchemaOptions, id: string): Promise<void> {
  await new StagingTables(ch, schema, id).create(measurementTable(DATASETS.load), 'stage_raw_load');
  await sleep(1_100);
}

describe('staging tables left by a crashed import', function () {
  this.timeout(60_000);
  let dir: string;

  beforeEach(() => {
    dir = tempDir();
  });

  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('are dropped when older than the given age, and kept while another importer may still use them', async () => {
    const schema = { database: 'energylive' };
    const ch = await migratedClickHouse(dir, schema);
    try {
      await leftover(ch, schema, 'aaaaaaaaaaaa');
      expect(await dropLeftoverStaging(ch, schema, 3600)).to.deep.equal([]);
      expect(await tableNames(ch)).to.deep.equal(['stage_raw_load_aaaaaaaaaaaa']);
      expect(await dropLeftoverStaging(ch, schema, 0)).to.deep.equal(['stage_raw_load_aaaaaaaaaaaa']);
      expect(await tableNames(ch)).to.deep.equal([]);
    } finally {
      await ch.close();
    }
  });

  it('are dropped on a cluster with their `_local` tables, from every node, and out of Keeper', async () => {
    const schema = { database: 'energylive', cluster: 'grid' };
    const node = oneNodeCluster(dir, schema.database, schema.cluster);
    try {
      await migrate(node.ch, schema);
      await leftover(node.ch, schema, 'bbbbbbbbbbbb');
      expect(await tableNames(node.ch)).to.deep.equal([
        'stage_raw_load_bbbbbbbbbbbb',
        'stage_raw_load_bbbbbbbbbbbb_local',
      ]);
      const from = node.statements.length;
      expect(await dropLeftoverStaging(node.ch, schema, 0)).to.deep.equal(['stage_raw_load_bbbbbbbbbbbb']);
      const issued = node.statements.slice(from);
      expect(issued[0]).to.include('FROM clusterAllReplicas(grid, system.tables)');
      expect(issued.slice(1)).to.deep.equal([
        'DROP TABLE IF EXISTS energylive.stage_raw_load_bbbbbbbbbbbb ON CLUSTER grid SYNC',
        'DROP TABLE IF EXISTS energylive.stage_raw_load_bbbbbbbbbbbb_local ON CLUSTER grid SYNC',
      ]);
      for (const sql of issued) expect(await node.parses(sql), sql).to.equal(true);
      expect(await tableNames(node.ch)).to.deep.equal([]);
    } finally {
      await node.close();
    }
  });
});
