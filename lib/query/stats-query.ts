import type { ClickHouse } from '../clickhouse/connection.js';
import { readTable, type SchemaOptions } from '../clickhouse/schema.js';
import type { SeriesRequest } from './series-request.js';
import { stepSecondsSql } from '../clickhouse/step-sql.js';
import type { SeriesStats, Balance, StatsResult } from '../api/json-shapes.js';
export type { SeriesStats, Balance, StatsResult };

const STEP_SQL = stepSecondsSql();

interface StatsRow {
  name: string;
  count: string | number;
  min_value: number | null;
  min_t: string | number;
  max_value: number | null;
  max_t: string | number;
  weighted_sum: number;
  weight: string | number;
  quantiles: (number | null)[];
}

function where(request: SeriesRequest): { condition: string; name: string } {
  if (request.dataset === 'flows') {
    return {
      condition: `out_area_type = {areaType:String} AND out_map_code = {area:String}${request.in ? ' AND in_map_code = {in:String}' : ''}`,
      name: "concat(out_map_code, '→', in_map_code)",
    };
  }
  const typeCondition = request.type ? ' AND production_type = {type:String}' : '';
  return {
    condition: `area_type = {areaType:String} AND map_code = {area:String}${typeCondition}`,
    name: request.dataset === 'generation' ? 'production_type' : 'map_code',
  };
}

function params(request: SeriesRequest, areaType: string): Record<string, unknown> {
  return {
    areaType,
    area: request.area,
    from: request.from,
    to: request.to,
    ...(request.type ? { type: request.type } : {}),
    ...(request.in ? { in: request.in } : {}),
  };
}

const RANGE = 'ts >= toDateTime({from:UInt32}) AND ts < toDateTime({to:UInt32})';
const round = (x: number) => Math.round(x * 1e6) / 1e6;

async function rows<T>(ch: ClickHouse, query: string, queryParams: Record<string, unknown>): Promise<T[]> {
  const result = await ch.client.query({ query, query_params: queryParams, format: 'JSONEachRow' });
  return result.json<T>();
}

/** Per series: extremes with their times, time-weighted mean, weighted percentiles, energy, hourly profile. */
async function seriesStats(
  ch: ClickHouse,
  schema: SchemaOptions,
  request: SeriesRequest,
  areaType: string,
): Promise<SeriesStats[]> {
  const { condition, name } = where(request);
  const source =
    `SELECT ${name} AS name, ts, value, ${STEP_SQL} AS step FROM ${readTable(schema, request.dataset)} ` +
    `WHERE ${condition} AND ${RANGE} AND value IS NOT NULL`;
  const queryParams = params(request, areaType);
  const stats = await rows<StatsRow>(
    ch,
    `SELECT name, count() AS count, min(value) AS min_value, toUnixTimestamp(argMin(ts, (value, ts))) AS min_t, ` +
      `max(value) AS max_value, toUnixTimestamp(argMax(ts, (value, -toUnixTimestamp(ts)))) AS max_t, ` +
      `sum(value * step) AS weighted_sum, sum(step) AS weight, quantilesExactWeighted(0.05, 0.5, 0.95)(value, step) AS quantiles ` +
      `FROM (${source}) GROUP BY name ORDER BY name`,
    queryParams,
  );
  const profiles = await rows<{ name: string; hours: number[]; means: number[] }>(
    ch,
    `SELECT name, groupArray(h) AS hours, groupArray(m) AS means FROM (` +
      `SELECT name, toHour(ts) AS h, sum(value * step) / sum(step) AS m FROM (${source}) GROUP BY name, h ORDER BY name, h) GROUP BY name`,
    queryParams,
  );
  const byName = new Map(profiles.map((p) => [p.name, p]));
  return stats.map((r) => {
    const profile: (number | null)[] = new Array<number | null>(24).fill(null);
    const p = byName.get(r.name);
    p?.hours.forEach((h, i) => {
      profile[h] = round(p.means[i] ?? 0);
    });
    const weight = Number(r.weight);
    return {
      name: r.name,
      count: Number(r.count),
      min: r.min_value === null ? null : { value: r.min_value, t: Number(r.min_t) },
      max: r.max_value === null ? null : { value: r.max_value, t: Number(r.max_t) },
      mean: weight > 0 ? round(r.weighted_sum / weight) : null,
      p5: r.quantiles[0] ?? null,
      p50: r.quantiles[1] ?? null,
      p95: r.quantiles[2] ?? null,
      energyMWh: round(r.weighted_sum / 3600),
      profile,
    };
  });
}

/** An area's energy over every border, each direction apart: what it imported, exported, and the net. */
async function balance(
  ch: ClickHouse,
  schema: SchemaOptions,
  request: SeriesRequest,
  areaType: string,
): Promise<Balance> {
  const table = readTable(schema, 'flows');
  const borders = await rows<{ partner: string; importMWh: number; exportMWh: number }>(
    ch,
    `SELECT partner, sumIf(value * step, dir = 'import') / 3600 AS importMWh, sumIf(value * step, dir = 'export') / 3600 AS exportMWh FROM (` +
      `SELECT in_map_code AS partner, 'export' AS dir, value, ${STEP_SQL} AS step FROM ${table} ` +
      `WHERE out_map_code = {area:String} AND out_area_type = {areaType:String} AND ${RANGE} ` +
      `UNION ALL SELECT out_map_code AS partner, 'import' AS dir, value, ${STEP_SQL} AS step FROM ${table} ` +
      `WHERE in_map_code = {area:String} AND in_area_type = {areaType:String} AND ${RANGE}` +
      `) GROUP BY partner ORDER BY partner`,
    { area: request.area, areaType, from: request.from, to: request.to },
  );
  const importMWh = round(borders.reduce((n, b) => n + b.importMWh, 0));
  const exportMWh = round(borders.reduce((n, b) => n + b.exportMWh, 0));
  return {
    importMWh,
    exportMWh,
    netImportMWh: round(importMWh - exportMWh),
    borders: borders.map((b) => ({
      partner: b.partner,
      importMWh: round(b.importMWh),
      exportMWh: round(b.exportMWh),
    })),
  };
}

export async function queryStats(
  ch: ClickHouse,
  schema: SchemaOptions,
  request: SeriesRequest,
  areaType: string | null,
): Promise<StatsResult> {
  const base: StatsResult = {
    dataset: request.dataset,
    area: request.area,
    ...(request.in ? { in: request.in } : {}),
    from: request.from,
    to: request.to,
    series: [],
  };
  if (areaType === null) return base;
  const series = await seriesStats(ch, schema, request, areaType);
  const result: StatsResult = { ...base, series };
  if (request.dataset === 'generation') {
    const total = series.reduce((n, s) => n + Math.max(0, s.energyMWh), 0);
    result.shares = Object.fromEntries(
      series.map((s) => [s.name, total > 0 ? round(Math.max(0, s.energyMWh) / total) : 0]),
    );
  }
  if (request.dataset === 'flows') result.balance = await balance(ch, schema, request, areaType);
  return result;
}
