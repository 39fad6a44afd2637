import { expect } from 'chai';
import { MIGRATIONS, identifier } from './schema.js';

describe('ClickHouse schema', () => {
  it('creates plain MergeTree tables partitioned by month on a single node', () => {
    const statements = MIGRATIONS.flatMap((m) => m.statements({ database: 'energylive' }));
    const load = statements.find((s) => s.includes('energylive.load '));
    expect(load).to.match(
      /ENGINE = MergeTree\(\) PARTITION BY toYYYYMM\(ts\) ORDER BY \(area_type, map_code, resolution, ts\)/,
    );
    expect(statements.join('\n')).to.not.include('ON CLUSTER');
  });

  it('targets a cluster: replicated local tables and distributed tables, all ON CLUSTER', () => {
    const statements = MIGRATIONS.flatMap((m) => m.statements({ database: 'energylive', cluster: 'grid' }));
    const local = statements.find((s) => s.includes('energylive.generation_local ON CLUSTER grid'));
    expect(local).to.include(
      "ReplicatedMergeTree('/clickhouse/tables/{shard}/energylive/generation_local', '{replica}')",
    );
    const distributed = statements.find((s) => s.includes('energylive.flows ON CLUSTER grid'));
    expect(distributed).to.include(
      'ENGINE = Distributed(grid, energylive, flows_local, cityHash64(out_map_code))',
    );
    const ddl = statements.filter((s) => !s.startsWith('INSERT'));
    expect(ddl.every((s) => s.includes('ON CLUSTER grid'))).to.equal(true);
  });

  it('refuses identifiers that could change the statement', () => {
    expect(() => identifier('energylive; DROP DATABASE x')).to.throw(/not a valid ClickHouse identifier/);
  });
});
