import type { ClickHouse } from '../clickhouse/connection.js';
import { readTable, type SchemaOptions } from '../clickhouse/schema.js';
import type { DatasetName } from '../config/env.js';

const PREFERENCE = ['CTY', 'BZN', 'CTA'];

/**
 * The same MapCode can exist as country, bidding zone and control area, with equal values where they
 * cover the same ground. A request names only the MapCode, so it is served from one area type: the
 * country when there is one, else the bidding zone, else the control area (r3 rows carry type sets).
 */
export async function preferredAreaType(
  ch: ClickHouse,
  schema: SchemaOptions,
  dataset: DatasetName,
  area: string,
): Promise<string | null> {
  const typeColumn = dataset === 'flows' ? 'out_area_type' : 'area_type';
  const areaColumn = dataset === 'flows' ? 'out_map_code' : 'map_code';
  const result = await ch.client.query({
    query: `SELECT DISTINCT ${typeColumn} AS type FROM ${readTable(schema, dataset)} WHERE ${areaColumn} = {area:String}`,
    query_params: { area },
    format: 'JSONEachRow',
  });
  const types = (await result.json<{ type: string }>()).map((r) => r.type);
  for (const wanted of PREFERENCE) {
    const match = types.filter((t) => t.split('/').includes(wanted)).sort((a, b) => a.length - b.length)[0];
    if (match) return match;
  }
  return null;
}
