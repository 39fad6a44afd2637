import type { DatasetName } from '../../lib/config/env.js';
import { MAP_CODE, PRODUCTION_TYPES, normalizeAreaType } from '../../lib/entsoe/codes.js';
import { readTable, type SchemaOptions } from '../../lib/clickhouse/schema.js';
import { BadRequest, isoToEpoch } from '../../lib/query/bad-request.js';
import { parseDataset, parseMapCode } from '../../lib/query/series-request.js';
import { checkSpan } from '../../lib/query/storable-span.js';

export interface ExportRequest {
  dataset: DatasetName;
  area: string;
  /** Area type (CTY, BZN, CTA); by default CTY when the area has it. */
  areaType?: string | undefined;
  type?: string | undefined;
  in?: string | undefined;
  from: string;
  to: string;
  format: 'csv' | 'json';
}

/** Checks a request coming from the network; every value ends up as a query parameter, never in SQL text. */
export function parseExportRequest(params: Record<string, unknown>): ExportRequest {
  const dataset = parseDataset(params.dataset);
  const area = parseMapCode('area', params.area);
  const areaType = params.areaType;
  if (areaType !== undefined && (typeof areaType !== 'string' || normalizeAreaType(areaType) === null)) {
    throw new BadRequest('areaType', 'expected CTY, BZN or CTA');
  }
  const type = params.type;
  if (
    type !== undefined &&
    (dataset !== 'generation' || typeof type !== 'string' || !PRODUCTION_TYPES.has(type))
  ) {
    throw new BadRequest(
      'type',
      dataset === 'generation' ? 'unknown production type' : 'only generation has production types',
    );
  }
  const inArea = params.in;
  if (inArea !== undefined && (dataset !== 'flows' || typeof inArea !== 'string' || !MAP_CODE.test(inArea))) {
    throw new BadRequest('in', dataset === 'flows' ? 'expected a MapCode' : 'only flows have an "in" area');
  }
  const from = isoToEpoch('from', params.from);
  const to = isoToEpoch('to', params.to);
  checkSpan(from, to);
  if (to <= from) throw new BadRequest('to', 'must be after from');
  const format = params.format ?? 'csv';
  if (format !== 'csv' && format !== 'json') throw new BadRequest('format', 'expected csv or json');
  return {
    dataset,
    area,
    areaType: areaType === undefined ? undefined : (normalizeAreaType(areaType) ?? undefined),
    type,
    in: inArea,
    from: new Date(from * 1000).toISOString(),
    to: new Date(to * 1000).toISOString(),
    format,
  };
}

/** The rows an export reads, as a condition on `table`, and its parameters. */
function exportRows(
  schema: SchemaOptions,
  r: ExportRequest,
): { table: string; where: string; params: Record<string, unknown> } {
  const table = readTable(schema, r.dataset);
  const areaColumn = r.dataset === 'flows' ? 'out_map_code' : 'map_code';
  const typeColumn = r.dataset === 'flows' ? 'out_area_type' : 'area_type';
  const conditions = [
    `${areaColumn} = {area:String}`,
    'ts >= {from:DateTime64(3)}',
    'ts < {to:DateTime64(3)}',
  ];
  // Without an explicit area type, the country rows when there are any, else every type the area has.
  conditions.push(
    r.areaType
      ? `${typeColumn} = {areaType:String}`
      : `(has(splitByChar('/', ${typeColumn}), 'CTY') OR NOT (SELECT count() > 0 FROM ${table} WHERE ${areaColumn} = {area:String} AND has(splitByChar('/', ${typeColumn}), 'CTY')))`,
  );
  if (r.type) conditions.push('production_type = {type:String}');
  if (r.in) conditions.push('in_map_code = {in:String}');
  return {
    table,
    where: conditions.join(' AND '),
    params: {
      area: r.area,
      from: r.from.replace('T', ' ').replace('Z', ''),
      to: r.to.replace('T', ' ').replace('Z', ''),
      ...(r.areaType ? { areaType: r.areaType } : {}),
      ...(r.type ? { type: r.type } : {}),
      ...(r.in ? { in: r.in } : {}),
    },
  };
}

/** How many rows the export would hold: counted before, so a too large one is refused before it starts. */
export function exportCountQuery(
  schema: SchemaOptions,
  r: ExportRequest,
): { query: string; params: Record<string, unknown> } {
  const { table, where, params } = exportRows(schema, r);
  return { query: `SELECT count() AS n FROM ${table} WHERE ${where}`, params };
}

/** The stored values of one area (and type or partner) at native resolution, UTC, in time order. */
export function exportQuery(
  schema: SchemaOptions,
  r: ExportRequest,
): { query: string; params: Record<string, unknown> } {
  const { table, where, params } = exportRows(schema, r);
  const typeColumn = r.dataset === 'flows' ? 'out_area_type' : 'area_type';
  const iso = (c: string) => `formatDateTime(${c}, '%Y-%m-%dT%H:%i:%SZ')`;
  const columns =
    r.dataset === 'load'
      ? ['area_type', 'map_code', 'resolution', 'value']
      : r.dataset === 'generation'
        ? ['area_type', 'map_code', 'production_type', 'resolution', 'value', 'consumption']
        : ['out_area_type', 'out_map_code', 'in_area_type', 'in_map_code', 'resolution', 'value'];
  const order =
    r.dataset === 'generation' ? 'production_type, ts' : r.dataset === 'flows' ? 'in_map_code, ts' : 'ts';
  return {
    query:
      `SELECT ${iso('ts')} AS ts, ${columns.join(', ')}, concat(replaceOne(toString(updated), ' ', 'T'), 'Z') AS updated ` +
      `FROM ${table} WHERE ${where} ORDER BY ${typeColumn}, ${order}`,
    params,
  };
}
