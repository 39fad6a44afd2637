import { randomBytes } from 'node:crypto';
import type { ClickHouseSettings } from '@clickhouse/client';
import type { DatasetSpec } from '../entsoe/datasets.js';
import { canonicalStructure } from '../entsoe/datasets.js';
import type { RejectCounts } from '../entsoe/reject-reasons.js';
import type { ClickHouse } from './connection.js';
import { dailyInsertSql, hourlyInsertSql, rollupName } from './rollup-tables.js';
import { clusterSettings, measurementTable, readTable, rollupTable, type SchemaOptions } from './schema.js';
import { StagingTables, type StagedTable } from './staging-tables.js';
import { stepSecondsSql } from './step-sql.js';

/** A run of consecutive intervals of one series whose values are new or corrected. */
export interface ChangedRange {
  /** The series: area type and map code, production type (generation), or out/in areas (flows). */
  series: Record<string, string>;
  resolution: string;
  /** ISO 8601 UTC, half-open [from, to). */
  from: string;
  to: string;
  points: number;
}

export interface MonthImportInput {
  dataset: DatasetSpec;
  /** `YYYY-MM` */
  month: string;
  sha256: string;
  /** Local gzip file in the canonical layout. */
  file: string;
  fileName: string;
  source: string;
  layout: string;
  rows: number;
  rejected: RejectCounts;
  /**
   * JetStream stream sequence of the file-ready message being imported: a redelivery carries the same,
   * and so finds its own earlier import in the log. 0 when the file does not come from a message.
   */
  messageSeq?: number;
}

export interface MonthImportResult {
  /**
   * `imported`: this file brought the changes listed, now stored (also when a redelivery finds its own
   * earlier import already committed); it may list none when only UpdateTimes or labels (area code, area
   * name) changed. `unchanged`: the stored month already held exactly these rows when the file came, and
   * `changes` are those of the import that first stored them.
   */
  status: 'imported' | 'unchanged';
  changes: ChangedRange[];
  changedPoints: number;
  /** Rows stored for the month after the import. */
  monthRows: number;
  importedAt: string;
  /** Milliseconds per step, for logs and benchmarks. */
  timings: { load: number; merge: number; diff: number; commit: number };
}

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

export function partitionOf(month: string): number {
  const m = MONTH.exec(month);
  if (!m) throw new Error(`not a month: "${month}"`);
  return Number(m[1]) * 100 + Number(m[2]);
}

/**
 * Replaces one month of one dataset with the content of a canonical file, atomically.
 *
 * The file is loaded into a staging table and merged with what is stored: per key the row with the newest
 * UpdateTime wins (the file on a tie), so a stale or partial file never takes back a correction and never
 * drops rows. The merged month replaces the stored partition in one `REPLACE PARTITION`, so readers see
 * the old month or the new one, never a half-written or empty one. What changed is found before the
 * swap by comparing values key by key, and recorded in the import log first, so a redelivered message
 * after a crash between swap and acknowledgement reports the same changes again. The month is committed
 * whenever any column differs, so a newer UpdateTime with the same value is kept against older files.
 *
 * On a cluster the same steps run through Distributed tables, and the swap happens shard by shard: a
 * reader may see one shard's areas new and another's old for that moment, never a half month of one area.
 */
export async function importMonth(
  ch: ClickHouse,
  schema: SchemaOptions,
  input: MonthImportInput,
): Promise<MonthImportResult> {
  const { dataset, month } = input;
  const partition = partitionOf(month);
  const main = readTable(schema, dataset.name);
  const staging = new StagingTables(ch, schema, randomBytes(6).toString('hex'));
  const settings = clusterSettings(schema);
  const keys = ['ts', ...dataset.seriesKey];
  const others = dataset.columns.map((c) => c.name).filter((c) => !keys.includes(c));
  const fingerprint = (alias: string) =>
    `cityHash64(tuple(${dataset.valueColumns.map((c) => `${alias}.${c}`).join(', ')}))`;
  const series = dataset.seriesKey.filter((c) => c !== 'resolution');
  const params = { partition };

  let rollupStages: Promise<{ hourlyStage: StagedTable; dailyStage: StagedTable }> | undefined;
  try {
    let mark = Date.now();
    const lap = () => {
      const now = Date.now();
      const ms = now - mark;
      mark = now;
      return ms;
    };
    const raw = await staging.create(measurementTable(dataset), `stage_raw_${dataset.name}`);
    await ch.insertGzipFile(raw.table, input.file, canonicalStructure(dataset), settings);
    await staging.settle(raw);
    const load = lap();
    const merged = await mergeWithStored(ch, staging, {
      raw,
      main,
      settings,
      dataset,
      keys,
      others,
      partition,
    });
    const stage = merged.stage.table;
    const merge = lap();
    // The rollups of the staged month are built while the changes are computed: both only read the stage.
    const hourly = rollupName(dataset, 'hourly');
    const daily = rollupName(dataset, 'daily');
    rollupStages = (async () => {
      const hourlyStage = await staging.create(
        rollupTable(dataset, 'hourly'),
        `stage_hourly_${dataset.name}`,
      );
      const dailyStage = await staging.create(rollupTable(dataset, 'daily'), `stage_daily_${dataset.name}`);
      await ch.client.command({
        query: hourlyInsertSql(dataset, hourlyStage.table, stage, 'toYYYYMM(ts) = {partition:UInt32}'),
        query_params: params,
        clickhouse_settings: settings,
      });
      await staging.settle(hourlyStage);
      await ch.client.command({
        query: dailyInsertSql(dataset, dailyStage.table, hourlyStage.table, '1'),
        clickhouse_settings: settings,
      });
      await staging.settle(dailyStage);
      return { hourlyStage, dailyStage };
    })();
    // Observed at once, so a failure before it is awaited below is not an unhandled rejection.
    rollupStages.catch(() => undefined);

    // Into an empty month everything is new: the islands come straight from the staged table, in its order.
    const changedSource =
      merged.stored === 0
        ? `${stage} AS n`
        : `${stage} AS n LEFT ANTI JOIN (SELECT ${keys.join(', ')}, ${fingerprint(main)} AS fp FROM ${main} ` +
          `WHERE toYYYYMM(ts) = {partition:UInt32}) AS o ON ${keys.map((k) => `n.${k} = o.${k}`).join(' AND ')} AND ${fingerprint('n')} = o.fp`;
    const changedRows = await ch.client.query({
      query:
        `SELECT ${series.join(', ')}, resolution, min(t) AS first, max(t) + step AS last, count() AS points FROM (` +
        `SELECT ${series.map((c) => `n.${c} AS ${c}`).join(', ')}, n.resolution AS resolution, toUnixTimestamp(n.ts) AS t, ` +
        `${stepSecondsSql('n.resolution')} AS step, ` +
        `t - step * row_number() OVER (PARTITION BY ${[...series, 'resolution'].map((c) => `n.${c}`).join(', ')} ORDER BY n.ts) AS island ` +
        `FROM ${changedSource}` +
        `) GROUP BY ${[...series, 'resolution'].join(', ')}, island, step ORDER BY ${[...series, 'resolution'].join(', ')}, first`,
      query_params: params,
      clickhouse_settings: settings,
      format: 'JSONEachRow',
    });
    const changes = (await changedRows.json<Record<string, string | number>>()).map((r) =>
      toRange(r, series),
    );
    const changedPoints = changes.reduce((n, c) => n + c.points, 0);
    const monthRows = await count(ch, stage);
    const importedAt = new Date().toISOString();
    const diff = lap();

    // Values decide what is reported (charts redraw changed points); every column decides what is
    // committed: a newer UpdateTime or a new label must be stored, or an older file would later win.
    const differs =
      changedPoints > 0 ||
      (await differsFromStored(ch, {
        stage,
        main,
        keys,
        others,
        partition,
        settings,
        stored: merged.stored,
        monthRows,
      }));
    if (!differs) {
      const earlier = await earlierImport(ch, schema, input);
      // This very message committed the month before and died before acknowledging it: report that import.
      if (earlier?.sameMessage) {
        return {
          status: 'imported',
          changes: earlier.changes,
          changedPoints: earlier.changedPoints,
          monthRows,
          importedAt: earlier.importedAt,
          timings: { load, merge, diff, commit: lap() },
        };
      }
      return {
        status: 'unchanged',
        changes: earlier?.changes ?? [],
        changedPoints: 0,
        monthRows,
        importedAt,
        timings: { load, merge, diff, commit: lap() },
      };
    }
    await logImport(ch, schema, input, 'prepared', changes, changedPoints, importedAt);
    const { hourlyStage, dailyStage } = await rollupStages;
    // Rollups first: if the process dies between the swaps, the measurements still differ from the
    // file, so the redelivered message imports the month again and all tables end up in step.
    await staging.replace(daily, partition, dailyStage);
    await staging.replace(hourly, partition, hourlyStage);
    await staging.replace(dataset.name, partition, merged.stage);
    await logImport(ch, schema, input, 'done', changes, changedPoints, importedAt);
    return {
      status: 'imported',
      changes,
      changedPoints,
      monthRows,
      importedAt,
      timings: { load, merge, diff, commit: lap() },
    };
  } finally {
    // A rollup build still running when the import ends early (no change, or an error) must finish
    // before its tables are dropped.
    await rollupStages?.catch(() => undefined);
    await staging.dropAll();
  }
}

interface MergeTables {
  raw: StagedTable;
  main: string;
  settings: ClickHouseSettings;
  dataset: DatasetSpec;
  keys: string[];
  others: string[];
  partition: number;
}

async function scalar(ch: ClickHouse, query: string, params: Record<string, unknown>): Promise<number> {
  const result = await ch.client.query({ query, query_params: params, format: 'JSONEachRow' });
  const [row] = await result.json<{ n: string | number }>();
  return Number(row?.n ?? 0);
}

/**
 * Builds the month as it should be stored: per key, the newest UpdateTime wins, the file on a tie.
 * A file's own repeated keys are resolved first (rare: an aggregation). A first import of a month is the
 * file itself; otherwise two joins keep the file's rows that are not older than the stored ones and the
 * stored rows the file does not supersede.
 */
async function mergeWithStored(
  ch: ClickHouse,
  staging: StagingTables,
  t: MergeTables,
): Promise<{ stage: StagedTable; stored: number }> {
  const params = { partition: t.partition };
  const keyList = t.keys.join(', ');
  let raw = t.raw;
  const rows = await scalar(ch, `SELECT count() AS n FROM ${raw.table}`, {});
  // Equal hashes for every repeated key: as many distinct hashes as rows proves there is none.
  const distinct = await scalar(ch, `SELECT uniqExact(cityHash64(${keyList})) AS n FROM ${raw.table}`, {});
  if (distinct !== rows) {
    const deduplicated = await staging.create(measurementTable(t.dataset), `stage_dedup_${t.dataset.name}`);
    await ch.client.command({
      query:
        `INSERT INTO ${deduplicated.table} (${[...t.keys, ...t.others].join(', ')}) ` +
        `SELECT ${keyList}, ${t.others.map((c) => `argMax(${c}, updated)`).join(', ')} FROM ${raw.table} GROUP BY ${keyList}`,
      clickhouse_settings: t.settings,
    });
    await staging.settle(deduplicated);
    raw = deduplicated;
  }
  const stored = await scalar(
    ch,
    `SELECT count() AS n FROM ${t.main} WHERE toYYYYMM(ts) = {partition:UInt32}`,
    params,
  );
  if (stored === 0) return { stage: raw, stored };

  const stage = await staging.create(measurementTable(t.dataset), `stage_${t.dataset.name}`);
  const columns = t.dataset.columns.map((c) => c.name);
  // A key missing on the other side joins as the type's default (1970), older than any real UpdateTime.
  const settings: ClickHouseSettings = { ...t.settings, join_use_nulls: 0 };
  await ch.client.command({
    query:
      `INSERT INTO ${stage.table} (${columns.join(', ')}) SELECT ${columns.map((c) => `n.${c}`).join(', ')} FROM ${raw.table} AS n ` +
      `LEFT JOIN (SELECT ${keyList}, updated AS stored_updated FROM ${t.main} WHERE toYYYYMM(ts) = {partition:UInt32}) AS o ` +
      `USING (${keyList}) WHERE o.stored_updated <= n.updated`,
    query_params: params,
    clickhouse_settings: settings,
  });
  await ch.client.command({
    query:
      `INSERT INTO ${stage.table} (${columns.join(', ')}) SELECT ${columns.map((c) => `o.${c}`).join(', ')} FROM ${t.main} AS o ` +
      `LEFT JOIN (SELECT ${keyList}, updated AS file_updated FROM ${raw.table}) AS n USING (${keyList}) ` +
      `WHERE toYYYYMM(o.ts) = {partition:UInt32} AND n.file_updated < o.updated`,
    query_params: params,
    clickhouse_settings: settings,
  });
  await staging.settle(stage);
  return { stage, stored };
}

interface StoredComparison {
  stage: string;
  main: string;
  keys: string[];
  others: string[];
  partition: number;
  settings: ClickHouseSettings;
  stored: number;
  monthRows: number;
}

/**
 * Whether the merged month differs from the stored one in any column. The merge keeps every stored key,
 * so the two are equal when they hold as many rows and each merged row has an identical stored one.
 */
async function differsFromStored(ch: ClickHouse, c: StoredComparison): Promise<boolean> {
  if (c.monthRows !== c.stored) return true;
  if (c.stored === 0) return false;
  const rowHash = (alias: string) =>
    `cityHash64(tuple(${c.others.map((col) => `${alias}.${col}`).join(', ')}))`;
  const result = await ch.client.query({
    query:
      `SELECT count() AS n FROM ${c.stage} AS n LEFT ANTI JOIN (SELECT ${c.keys.join(', ')}, ${rowHash(c.main)} AS h ` +
      `FROM ${c.main} WHERE toYYYYMM(ts) = {partition:UInt32}) AS o ` +
      `ON ${c.keys.map((k) => `n.${k} = o.${k}`).join(' AND ')} AND ${rowHash('n')} = o.h`,
    query_params: { partition: c.partition },
    clickhouse_settings: c.settings,
    format: 'JSONEachRow',
  });
  const [row] = await result.json<{ n: string | number }>();
  return Number(row?.n ?? 0) > 0;
}

function toRange(row: Record<string, string | number>, series: readonly string[]): ChangedRange {
  return {
    series: Object.fromEntries(series.map((c) => [c, String(row[c])])),
    resolution: String(row.resolution),
    from: new Date(Number(row.first) * 1000).toISOString(),
    to: new Date(Number(row.last) * 1000).toISOString(),
    points: Number(row.points),
  };
}

async function count(ch: ClickHouse, table: string): Promise<number> {
  const result = await ch.client.query({ query: `SELECT count() AS n FROM ${table}`, format: 'JSONEachRow' });
  const [row] = await result.json<{ n: string | number }>();
  return Number(row?.n ?? 0);
}

interface EarlierImport {
  changes: ChangedRange[];
  changedPoints: number;
  importedAt: string;
  /** Logged by an earlier delivery of the message being imported now. */
  sameMessage: boolean;
}

/**
 * The import that stored this same file's changes before, preferring one by the message being imported
 * now. A redelivery after a crash between the swap and the acknowledgement finds the data already in
 * place and must still report what changed, as the import it repeats.
 */
async function earlierImport(
  ch: ClickHouse,
  schema: SchemaOptions,
  input: MonthImportInput,
): Promise<EarlierImport | null> {
  const seq = input.messageSeq ?? 0;
  const result = await ch.client.query({
    query:
      `SELECT changes, changed_points, toString(imported_at) AS at, ` +
      `{seq:UInt64} > 0 AND message_seq = {seq:UInt64} AS same FROM ${readTable(schema, 'imports')} ` +
      `WHERE dataset = {dataset:String} AND month = {month:String} AND sha256 = {sha:String} AND (changed_points > 0 OR same) ` +
      `ORDER BY same DESC, imported_at DESC LIMIT 1`,
    query_params: { dataset: input.dataset.name, month: input.month, sha: input.sha256, seq },
    format: 'JSONEachRow',
  });
  const [row] = await result.json<{
    changes: string;
    changed_points: string | number;
    at: string;
    same: number;
  }>();
  if (!row) return null;
  return {
    changes: JSON.parse(row.changes) as ChangedRange[],
    changedPoints: Number(row.changed_points),
    importedAt: `${row.at.replace(' ', 'T')}Z`,
    sameMessage: row.same === 1,
  };
}

async function logImport(
  ch: ClickHouse,
  schema: SchemaOptions,
  input: MonthImportInput,
  status: 'prepared' | 'done',
  changes: ChangedRange[],
  changedPoints: number,
  importedAt: string,
): Promise<void> {
  await ch.client.insert({
    table: readTable(schema, 'imports'),
    values: [
      {
        dataset: input.dataset.name,
        month: input.month,
        sha256: input.sha256,
        status,
        source: input.source,
        file_name: input.fileName,
        layout: input.layout,
        rows: input.rows,
        rejected: JSON.stringify(input.rejected),
        changed_points: changedPoints,
        changes: JSON.stringify(changes),
        imported_at: importedAt.replace('T', ' ').replace('Z', ''),
        message_seq: input.messageSeq ?? 0,
      },
    ],
    format: 'JSONEachRow',
    clickhouse_settings: clusterSettings(schema),
  });
}
