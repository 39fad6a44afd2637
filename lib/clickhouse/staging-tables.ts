import type { ClickHouse } from './connection.js';
import {
  clusterSettings,
  createTable,
  identifier,
  onCluster,
  readTable,
  storageTable,
  type SchemaOptions,
  type TableDefinition,
} from './schema.js';

/** A table an import builds a month in before it replaces the stored month. */
export interface StagedTable {
  /** Where the import writes and reads: the Distributed table on a cluster. */
  readonly table: string;
  /** What a partition is replaced from: the replicated `_local` table on a cluster. */
  readonly storage: string;
  readonly name: string;
}

/**
 * The staging tables of one import. Each is created from the same definition as the table it will
 * replace a partition of, so the two have the structure `REPLACE PARTITION` requires.
 *
 * On a cluster a staging table is sharded like its target and replicated on every replica of a shard:
 * `ALTER … ON CLUSTER` on a replicated table runs on whichever replica of each shard takes it, so each of
 * them must hold that shard's staged rows. Every write is followed by a wait until all replicas have it,
 * so the next step, reading through any replica, sees all of it.
 */
export class StagingTables {
  private readonly created: StagedTable[] = [];
  private emptySource: Promise<Record<string, number>> | undefined;

  constructor(
    private readonly ch: ClickHouse,
    private readonly schema: SchemaOptions,
    private readonly id: string,
  ) {}

  async create(definition: TableDefinition, prefix: string): Promise<StagedTable> {
    const name = `${prefix}_${this.id}`;
    const staged = {
      name,
      table: readTable(this.schema, name),
      storage: storageTable(this.schema, name),
    };
    this.created.push(staged);
    for (const query of createTable(this.schema, { ...definition, name })) await this.command(query);
    return staged;
  }

  /** Returns once every replica holds what was written to `table`; at once on a single node. */
  async settle(table: Pick<StagedTable, 'storage'>): Promise<void> {
    if (this.schema.cluster) await this.command(syncReplicaSql(this.schema, table.storage));
  }

  /**
   * Replaces partition `partition` of `target` (a table name as the schema creates it) with the staged
   * one, and returns once every replica serves it, so a reader told of the change finds it.
   */
  async replace(target: string, partition: number, staged: StagedTable): Promise<void> {
    const storage = storageTable(this.schema, target);
    // The partition is a number computed by the caller, never text from a file; DDL takes no parameters.
    await this.command(
      `ALTER TABLE ${storage}${onCluster(this.schema)} REPLACE PARTITION ${partition} FROM ${staged.storage}`,
      // A shard no area of the month hashes to has nothing staged, and nothing stored either: the
      // staged month holds every stored row the file does not supersede.
      this.schema.cluster ? await (this.emptySource ??= this.emptySourceSetting()) : {},
    );
    await this.settle({ storage });
  }

  async dropAll(): Promise<void> {
    for (const staged of this.created.splice(0))
      for (const query of dropTableSql(this.schema, staged.name)) await this.command(query);
  }

  private async emptySourceSetting(): Promise<Record<string, number>> {
    const result = await this.ch.client.query({
      query: `SELECT count() AS n FROM system.settings WHERE name = 'allow_replace_partition_from_empty_source'`,
      format: 'JSONEachRow',
    });
    const [row] = await result.json<{ n: string | number }>();
    // Servers from before the setting replace from an empty source anyway.
    return Number(row?.n ?? 0) > 0 ? { allow_replace_partition_from_empty_source: 1 } : {};
  }

  private async command(query: string, settings: Record<string, number> = {}): Promise<void> {
    await this.ch.client.command({
      query,
      clickhouse_settings: { ...clusterSettings(this.schema), ...settings },
    });
  }
}

export function syncReplicaSql(schema: SchemaOptions, storage: string): string {
  return `SYSTEM SYNC REPLICA${onCluster(schema)} ${storage}`;
}

/** On a cluster, `SYNC` also removes a replicated table's metadata from Keeper at once. */
export function dropTableSql(schema: SchemaOptions, name: string): string[] {
  if (!schema.cluster) return [`DROP TABLE IF EXISTS ${readTable(schema, name)}`];
  return [readTable(schema, name), storageTable(schema, name)].map(
    (table) => `DROP TABLE IF EXISTS ${table}${onCluster(schema)} SYNC`,
  );
}

/**
 * Staging tables left by a process that died mid-import, dropped when an importer starts, on every node
 * of a cluster. Only tables older than `minAgeSeconds` go, so an importer never drops the staging tables of
 * another one still working.
 */
export async function dropLeftoverStaging(
  ch: ClickHouse,
  schema: SchemaOptions,
  minAgeSeconds = 3600,
): Promise<string[]> {
  const tables = schema.cluster
    ? `clusterAllReplicas(${identifier(schema.cluster)}, system.tables)`
    : 'system.tables';
  const result = await ch.client.query({
    query:
      `SELECT DISTINCT name FROM ${tables} WHERE database = {db:String} AND startsWith(name, 'stage_') ` +
      `AND metadata_modification_time < now() - INTERVAL {age:UInt32} SECOND ORDER BY name`,
    query_params: { db: schema.database, age: minAgeSeconds },
    format: 'JSONEachRow',
  });
  const names = (await result.json<{ name: string }>()).map((r) => r.name);
  const staged = new Set(names.map((name) => (schema.cluster ? name.replace(/_local$/, '') : name)));
  for (const name of staged)
    for (const query of dropTableSql(schema, identifier(name))) await ch.client.command({ query });
  return [...staged];
}
