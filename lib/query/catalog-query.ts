import type { ClickHouse } from '../clickhouse/connection.js';
import { readTable, type SchemaOptions } from '../clickhouse/schema.js';
import type { DatasetName } from '../config/env.js';
import type { AreaSummary, Freshness } from '../api/json-shapes.js';
export type { AreaSummary, Freshness };

/**
 * Which areas have data, derived from the data itself: coverage changes over time and differs per
 * dataset, so no fixed list is right.
 */
export async function listAreas(
  ch: ClickHouse,
  schema: SchemaOptions,
  dataset: DatasetName,
): Promise<AreaSummary[]> {
  const prefix = dataset === 'flows' ? 'out_' : '';
  const result = await ch.client.query({
    query:
      `SELECT ${prefix}map_code AS area, argMax(${prefix}area_name, ts) AS name, arraySort(groupUniqArray(${prefix}area_type)) AS areaTypes, ` +
      `arraySort(groupUniqArray(resolution)) AS resolutions, toUnixTimestamp(min(ts)) AS first, toUnixTimestamp(max(ts)) AS last, ` +
      `toUnixTimestamp(max(updated)) AS updated FROM ${readTable(schema, dataset)} GROUP BY area ORDER BY area`,
    format: 'JSONEachRow',
  });
  return result.json<AreaSummary>();
}

/** The production types an area has generation data for. */
export async function listProductionTypes(
  ch: ClickHouse,
  schema: SchemaOptions,
  area: string,
): Promise<string[]> {
  const result = await ch.client.query({
    query: `SELECT DISTINCT production_type AS type FROM ${readTable(schema, 'generation')} WHERE map_code = {area:String} ORDER BY type`,
    query_params: { area },
    format: 'JSONEachRow',
  });
  return (await result.json<{ type: string }>()).map((r) => r.type);
}

/** Borders with flow data, each direction on its own: `out` → `in`. */
export async function listBorders(
  ch: ClickHouse,
  schema: SchemaOptions,
  area?: string,
): Promise<{ out: string; in: string }[]> {
  const result = await ch.client.query({
    query:
      `SELECT DISTINCT out_map_code AS out, in_map_code AS in FROM ${readTable(schema, 'flows')} ` +
      `${area ? 'WHERE out_map_code = {area:String} OR in_map_code = {area:String} ' : ''}ORDER BY out, in`,
    query_params: area ? { area } : {},
    format: 'JSONEachRow',
  });
  return result.json<{ out: string; in: string }>();
}

/** `areas`: the dataset's areas when the caller has them already; else they are listed. */
export async function datasetFreshness(
  ch: ClickHouse,
  schema: SchemaOptions,
  dataset: DatasetName,
  areas?: Promise<AreaSummary[]>,
): Promise<Freshness> {
  const imports = await ch.client.query({
    query:
      `SELECT month, formatDateTime(imported_at, '%Y-%m-%dT%H:%i:%SZ') AS importedAt, changed_points AS changedPoints ` +
      `FROM ${readTable(schema, 'imports')} WHERE dataset = {dataset:String} AND status = 'done' ORDER BY imported_at DESC LIMIT 1`,
    query_params: { dataset },
    format: 'JSONEachRow',
  });
  const [last] = await imports.json<{ month: string; importedAt: string; changedPoints: string | number }>();
  const listed = await (areas ?? listAreas(ch, schema, dataset));
  return {
    dataset,
    lastImport: last
      ? { month: last.month, importedAt: last.importedAt, changedPoints: Number(last.changedPoints) }
      : null,
    areas: listed.map((a) => ({ area: a.area, last: a.last, updated: a.updated })),
  };
}
