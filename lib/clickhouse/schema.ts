import type { ClickHouseSettings } from '@clickhouse/client';
import { DATASETS, type DatasetSpec } from '../entsoe/datasets.js';
import type { ClickHouse } from './connection.js';
import {
  dailyInsertSql,
  hourlyInsertSql,
  rollupColumnsSql,
  rollupName,
  rollupSeriesColumns,
  ROLLUP_TIME,
  type Rollup,
} from './rollup-tables.js';

/**
 * Where and how tables are created. Single node: plain MergeTree tables. Cluster (`CLICKHOUSE_CLUSTER`):
 * every table is a ReplicatedMergeTree `<name>_local` on each node, created `ON CLUSTER`, and `<name>` is a
 * Distributed table over them, sharded by area so one series lives on one shard.
 */
export interface SchemaOptions {
  database: string;
  cluster?: string | undefined;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Identifiers cannot be query parameters in DDL; these come from configuration, so they are checked. */
export function identifier(name: string): string {
  if (!NAME.test(name)) throw new Error(`not a valid ClickHouse identifier: "${name}"`);
  return name;
}

export function onCluster(options: SchemaOptions): string {
  return options.cluster ? ` ON CLUSTER ${identifier(options.cluster)}` : '';
}

/** The table rows are written to and partitions replaced in: the `_local` table on a cluster. */
export function storageTable(options: SchemaOptions, name: string): string {
  return `${identifier(options.database)}.${identifier(options.cluster ? `${name}_local` : name)}`;
}

/** The table queries read from: the Distributed table on a cluster. */
export function readTable(options: SchemaOptions, name: string): string {
  return `${identifier(options.database)}.${identifier(name)}`;
}

/**
 * Settings for statements that write through or join Distributed tables. An INSERT into a Distributed
 * table returns once every shard holds the rows, not when they are queued for sending; a join of two
 * tables sharded by the same key runs on each shard against its own rows.
 */
export function clusterSettings(options: SchemaOptions): ClickHouseSettings {
  if (!options.cluster) return {};
  return { distributed_foreground_insert: 1, distributed_product_mode: 'local' };
}

function engine(
  options: SchemaOptions,
  name: string,
  kind: 'MergeTree' | 'ReplacingMergeTree' = 'MergeTree',
): string {
  if (!options.cluster) return `${kind}()`;
  return `Replicated${kind}('/clickhouse/tables/{shard}/${identifier(options.database)}/${identifier(name)}_local', '{replica}')`;
}

export interface TableDefinition {
  name: string;
  columns: string;
  engine: 'MergeTree' | 'ReplacingMergeTree';
  partitionBy?: string;
  orderBy: string;
  shardingKey: string;
  settings?: string;
}

/** The statements creating a table: on a cluster, its replicated `_local` table and the Distributed one. */
export function createTable(options: SchemaOptions, table: TableDefinition): string[] {
  const partition = table.partitionBy ? ` PARTITION BY ${table.partitionBy}` : '';
  const settings = table.settings ? ` SETTINGS ${table.settings}` : '';
  const statements = [
    `CREATE TABLE IF NOT EXISTS ${storageTable(options, table.name)}${onCluster(options)} (${table.columns}) ` +
      `ENGINE = ${engine(options, table.name, table.engine)}${partition} ORDER BY (${table.orderBy})${settings}`,
  ];
  if (options.cluster) {
    statements.push(
      `CREATE TABLE IF NOT EXISTS ${readTable(options, table.name)}${onCluster(options)} AS ${storageTable(options, table.name)} ` +
        `ENGINE = Distributed(${identifier(options.cluster)}, ${identifier(options.database)}, ${identifier(`${table.name}_local`)}, ${table.shardingKey})`,
    );
  }
  return statements;
}

export function measurementTable(spec: DatasetSpec): TableDefinition {
  return {
    name: spec.name,
    columns: spec.columns.map((c) => `${c.name} ${c.clickhouseType}`).join(', '),
    engine: 'MergeTree',
    partitionBy: 'toYYYYMM(ts)',
    orderBy: [...spec.seriesKey, 'ts'].join(', '),
    shardingKey: spec.name === 'flows' ? 'cityHash64(out_map_code)' : 'cityHash64(map_code)',
  };
}

export function rollupTable(spec: DatasetSpec, rollup: Rollup): TableDefinition {
  const time = ROLLUP_TIME[rollup].column;
  return {
    name: rollupName(spec, rollup),
    columns: rollupColumnsSql(spec, rollup),
    engine: 'MergeTree',
    partitionBy: `toYYYYMM(${time})`,
    orderBy: [...rollupSeriesColumns(spec), time].join(', '),
    shardingKey: spec.name === 'flows' ? 'cityHash64(out_map_code)' : 'cityHash64(map_code)',
  };
}

const importsTable: TableDefinition = {
  name: 'imports',
  columns: [
    'dataset LowCardinality(String)',
    'month String',
    'sha256 String',
    "status Enum8('prepared' = 1, 'done' = 2)",
    'source String',
    'file_name String',
    'layout LowCardinality(String)',
    'rows UInt64',
    'rejected String',
    'changed_points UInt64',
    'changes String',
    "imported_at DateTime64(3, 'UTC')",
  ].join(', '),
  engine: 'MergeTree',
  orderBy: 'dataset, month, imported_at',
  shardingKey: 'cityHash64(dataset, month)',
};

/**
 * Ordered schema migrations. A migration is never edited once released; a change is a new one.
 * Each statement is idempotent, so a migration interrupted half-way is safely run again.
 */
export const MIGRATIONS: readonly {
  version: number;
  description: string;
  statements: (o: SchemaOptions) => string[];
}[] = [
  {
    version: 1,
    description: 'measurement tables for load, generation and flows; import log',
    statements: (o) => [
      ...Object.values(DATASETS).flatMap((spec) => createTable(o, measurementTable(spec))),
      ...createTable(o, importsTable),
    ],
  },
  {
    version: 2,
    description: 'hourly sums per series for rollups of an hour or coarser, filled from the stored months',
    statements: (o) =>
      Object.values(DATASETS).flatMap((spec) => [
        ...createTable(o, rollupTable(spec, 'hourly')),
        // Emptied first, so a migration interrupted half-way fills the table again without doubling it.
        `TRUNCATE TABLE IF EXISTS ${storageTable(o, rollupName(spec, 'hourly'))}${onCluster(o)}`,
        hourlyInsertSql(spec, readTable(o, rollupName(spec, 'hourly')), readTable(o, spec.name), '1'),
      ]),
  },
  {
    version: 3,
    description: 'daily sums per series for rollups of a day or coarser, filled from the hourly sums',
    statements: (o) =>
      Object.values(DATASETS).flatMap((spec) => [
        ...createTable(o, rollupTable(spec, 'daily')),
        `TRUNCATE TABLE IF EXISTS ${storageTable(o, rollupName(spec, 'daily'))}${onCluster(o)}`,
        dailyInsertSql(
          spec,
          readTable(o, rollupName(spec, 'daily')),
          readTable(o, rollupName(spec, 'hourly')),
          '1',
        ),
      ]),
  },
  {
    version: 4,
    description:
      'import log: the stream sequence of the file-ready message, so a redelivery knows its import',
    statements: (o) =>
      [...new Set([storageTable(o, 'imports'), readTable(o, 'imports')])].map(
        (table) =>
          `ALTER TABLE ${table}${onCluster(o)} ADD COLUMN IF NOT EXISTS message_seq UInt64 DEFAULT 0`,
      ),
  },
];

/** Creates the database and applies every migration not yet recorded. Returns the versions applied. */
export async function migrate(ch: ClickHouse, options: SchemaOptions): Promise<number[]> {
  const db = identifier(options.database);
  await ch.client.command({ query: `CREATE DATABASE IF NOT EXISTS ${db}${onCluster(options)}` });
  // On a cluster one copy is shared by every node of every shard, so a migration Job reaching any node
  // knows what has been applied.
  await ch.client.command({
    query:
      `CREATE TABLE IF NOT EXISTS ${db}.schema_migrations${onCluster(options)} (version UInt32, description String, applied_at DateTime('UTC') DEFAULT now()) ` +
      `ENGINE = ${options.cluster ? `ReplicatedMergeTree('/clickhouse/tables/all/${db}/schema_migrations', '{shard}_{replica}')` : 'MergeTree()'} ORDER BY version`,
  });
  const result = await ch.client.query({
    query: `SELECT version FROM ${db}.schema_migrations`,
    format: 'JSONEachRow',
  });
  const done = new Set((await result.json<{ version: number }>()).map((r) => r.version));
  const applied: number[] = [];
  for (const migration of MIGRATIONS) {
    if (done.has(migration.version)) continue;
    for (const query of migration.statements(options))
      await ch.client.command({ query, clickhouse_settings: clusterSettings(options) });
    await ch.client.insert({
      table: `${db}.schema_migrations`,
      values: [{ version: migration.version, description: migration.description }],
      format: 'JSONEachRow',
    });
    applied.push(migration.version);
  }
  return applied;
}
