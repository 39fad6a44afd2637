import type { ClickHouse } from '../clickhouse/connection.js';
import { readTable, type SchemaOptions } from '../clickhouse/schema.js';
import { ROLLUP_TIME, type Rollup } from '../clickhouse/rollup-tables.js';
import { bucketStart, nextBucket, type Resolution } from './buckets.js';
import type { ColumnarSeries, SeriesRequest } from './series-request.js';
import { stepSecondsSql } from '../clickhouse/step-sql.js';

const STEP_SQL = stepSecondsSql();
const SPLIT: Partial<Record<Resolution, number>> = { PT15M: 900, PT30M: 1800, PT60M: 3600 };
const SECONDS_OF: Partial<Record<Resolution, number>> = { PT60M: 3600, P1D: 86400 };
/** Longest native interval: a rollup reads this far before `from` to catch intervals that overlap it. */
const MAX_STEP = 3600;

/** Native rows: each series with its own interval starts and steps. */
interface NativeArrays {
  name: string;
  ts: number[];
  vs: (number | null)[];
  steps: number[];
}

/** Rolled-up rows: each series' values already laid on the bucket grid. */
interface DenseArrays {
  name: string;
  vs: (number | null)[];
}

function filters(request: SeriesRequest): { where: string; name: string } {
  const conditions: string[] = [];
  let name: string;
  if (request.dataset === 'flows') {
    conditions.push(
      request.in
        ? 'out_area_type = {areaType:String} AND out_map_code = {area:String} AND in_map_code = {in:String}'
        : '((out_area_type = {areaType:String} AND out_map_code = {area:String}) OR ' +
            '(in_area_type = {areaType:String} AND in_map_code = {area:String}))',
    );
    name = "concat(out_map_code, '→', in_map_code)";
  } else {
    conditions.push('area_type = {areaType:String}', 'map_code = {area:String}');
    name = request.dataset === 'generation' ? 'production_type' : 'map_code';
    if (request.type) conditions.push('production_type = {type:String}');
  }
  return { where: conditions.join(' AND '), name };
}

function bucketSql(resolution: Exclude<Resolution, 'native'>, piece: string): string {
  switch (resolution) {
    case 'P1W':
      return `toUnixTimestamp(toMonday(toDateTime(${piece}, 'UTC')))`;
    case 'P1M':
      return `toUnixTimestamp(toStartOfMonth(toDateTime(${piece}, 'UTC')))`;
    case 'P1D':
      return `intDiv(${piece}, 86400) * 86400`;
    default:
      return `intDiv(${piece}, ${String(SPLIT[resolution])}) * ${String(SPLIT[resolution])}`;
  }
}

/**
 * Buckets of whole days over a range of whole days come from the daily sums kept at import, buckets of
 * whole hours over whole hours from the hourly sums; anything else from the stored intervals.
 */
function rollupSource(request: SeriesRequest): Rollup | null {
  const r = request.resolution;
  const whole = (seconds: number) => request.from % seconds === 0 && request.to % seconds === 0;
  if ((r === 'P1D' || r === 'P1W' || r === 'P1M') && whole(86400)) return 'daily';
  if ((r === 'PT60M' || r === 'P1D' || r === 'P1W' || r === 'P1M') && whole(3600)) return 'hourly';
  return null;
}

/** Position of bucket `b` on the request's grid, which starts at `{first:UInt32}`. */
function gridIndexSql(resolution: Exclude<Resolution, 'native'>, b: string): string {
  if (resolution === 'P1M')
    return `toUInt32(dateDiff('month', toDateTime({first:UInt32}, 'UTC'), toDateTime(${b}, 'UTC')))`;
  const size = resolution === 'P1W' ? 7 * 86400 : (SPLIT[resolution] ?? 86400);
  return `toUInt32(intDiv(${b} - {first:UInt32}, ${String(size)}))`;
}

/**
 * One row per series with its bucket means already placed on the grid, so neither the engine nor Node
 * sends or matches a timestamp per value. Aggregates skip NULL arguments, so an empty bucket is NaN,
 * which the engine's JSON output writes as `null`.
 */
function denseSql(request: SeriesRequest, rows: string): string {
  const resolution = request.resolution as Exclude<Resolution, 'native'>;
  const size = bucketGrid(request).length;
  return (
    `SELECT name, groupArrayInsertAt(nan, ${String(size)})(ifNull(v, nan), ${gridIndexSql(resolution, 'b')}) AS vs ` +
    `FROM (${rows}) GROUP BY name ORDER BY name`
  );
}

/**
 * SQL that returns one row per series with its values as arrays, so Node parses a few large arrays
 * instead of a row object per interval. A rollup is the time-weighted mean power over each bucket: an
 * interval longer than the bucket (hourly data asked for in quarter-hours) is cut into bucket-long
 * pieces, so the mean stays right when a series' resolution changes inside the range.
 */
export function seriesSql(schema: SchemaOptions, request: SeriesRequest): string {
  const table = readTable(schema, request.dataset);
  const { where, name } = filters(request);
  if (request.resolution === 'native') {
    return (
      `SELECT name, groupArray(t) AS ts, groupArray(v) AS vs, groupArray(step) AS steps FROM (` +
      `SELECT ${name} AS name, toUnixTimestamp(ts) AS t, value AS v, ${STEP_SQL} AS step FROM ${table} ` +
      `WHERE ${where} AND ts >= toDateTime({from:UInt32}) AND ts < toDateTime({to:UInt32}) ` +
      // Where two resolutions of a series overlap, the finer one is kept.
      `ORDER BY name, t, step LIMIT 1 BY name, t) GROUP BY name ORDER BY name`
    );
  }
  const resolution = request.resolution;
  const rollup = rollupSource(request);
  if (rollup) {
    const table = readTable(schema, `${request.dataset}_${rollup}`);
    const time = ROLLUP_TIME[rollup];
    const range = `${time.column} >= toDateTime({from:UInt32}) AND ${time.column} < toDateTime({to:UInt32})`;
    if (SECONDS_OF[resolution] === time.seconds) {
      // One row per series and bucket already: no second aggregation.
      return denseSql(
        request,
        `SELECT ${name} AS name, toUnixTimestamp(${time.column}) AS b, vw / w AS v FROM ${table} WHERE ${where} AND ${range}`,
      );
    }
    return denseSql(
      request,
      `SELECT ${name} AS name, ${bucketSql(resolution, `toUnixTimestamp(${time.column})`)} AS b, sum(vw) / sum(w) AS v ` +
        `FROM ${table} WHERE ${where} AND ${range} GROUP BY name, b`,
    );
  }
  const split = SPLIT[resolution];
  const pieces =
    split === undefined
      ? '[t0]'
      : `if(step > ${String(split)}, range(t0, t0 + step, ${String(split)}), [t0])`;
  const weight = split === undefined ? 'step' : `least(step, ${String(split)})`;
  return denseSql(
    request,
    `SELECT name, b, if(sumIf(w, isNotNull(val)) > 0, sum(val * w) / sumIf(w, isNotNull(val)), NULL) AS v FROM (` +
      `SELECT ${name} AS name, toUnixTimestamp(ts) AS t0, ${STEP_SQL} AS step, value AS val, ` +
      `arrayJoin(${pieces}) AS piece, ${weight} AS w, ${bucketSql(resolution, 'piece')} AS b FROM ${table} ` +
      `WHERE ${where} AND ts >= toDateTime({readFrom:UInt32}) AND ts < toDateTime({to:UInt32})` +
      `) WHERE piece >= {from:UInt32} AND piece < {to:UInt32} GROUP BY name, b`,
  );
}

export function seriesParams(request: SeriesRequest, areaType: string): Record<string, unknown> {
  return {
    areaType,
    area: request.area,
    from: request.from,
    to: request.to,
    readFrom: Math.max(0, request.from - MAX_STEP),
    ...(request.resolution === 'native' ? {} : { first: bucketStart(request.from, request.resolution) }),
    ...(request.type ? { type: request.type } : {}),
    ...(request.in ? { in: request.in } : {}),
  };
}

/** Every bucket start of the range, so a bucket without data shows as `null`, not as a missing point. */
function bucketGrid(request: SeriesRequest): number[] {
  if (request.resolution === 'native') return [];
  const grid: number[] = [];
  for (
    let b = bucketStart(request.from, request.resolution);
    b < request.to;
    b = nextBucket(b, request.resolution)
  )
    grid.push(b);
  return grid;
}

/**
 * Native intervals of all series on one time axis. A gap longer than a series' own step gets a `null`
 * right after the last interval before it, so a chart breaks the line instead of bridging the gap.
 */
function nativeAxis(rows: NativeArrays[]): number[] {
  const times = new Set<number>();
  for (const row of rows) {
    row.ts.forEach((t, i) => {
      times.add(t);
      const next = row.ts[i + 1];
      const step = row.steps[i] ?? MAX_STEP;
      if (next !== undefined && next - t > step) times.add(t + step);
    });
  }
  return [...times].sort((a, b) => a - b);
}

/** Native rows on one time axis: each series gets `null` where it has no interval that another has. */
export function nativeColumnar(rows: NativeArrays[]): { t: number[]; series: ColumnarSeries['series'] } {
  const t = nativeAxis(rows);
  const index = new Map(t.map((time, i) => [time, i]));
  const series = rows.map((row) => {
    const values: (number | null)[] = new Array<number | null>(t.length).fill(null);
    row.ts.forEach((time, i) => {
      const at = index.get(time);
      if (at !== undefined) values[at] = row.vs[i] ?? null;
    });
    return { name: row.name, values };
  });
  return { t, series };
}

export async function querySeries(
  ch: ClickHouse,
  schema: SchemaOptions,
  request: SeriesRequest,
  areaType: string | null,
): Promise<ColumnarSeries> {
  const header = {
    dataset: request.dataset,
    area: request.area,
    ...(request.in ? { in: request.in } : {}),
    resolution: request.resolution,
    unit: 'MW' as const,
  };
  const grid = bucketGrid(request);
  if (areaType === null) return { ...header, t: grid, series: [] };
  const result = await ch.client.query({
    query: seriesSql(schema, request),
    query_params: seriesParams(request, areaType),
    format: 'JSONEachRow',
  });
  if (request.resolution === 'native')
    return { ...header, ...nativeColumnar(await result.json<NativeArrays>()) };
  const rows = await result.json<DenseArrays>();
  return { ...header, t: grid, series: rows.map((row) => ({ name: row.name, values: row.vs })) };
}
