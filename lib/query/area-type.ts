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
  const table = readTable(schema, dataset);
  // A flow names its area on either end: an area that only imports is still an area of the dataset.
  const query =
    dataset === 'flows'
      ? `SELECT DISTINCT out_area_type AS type FROM ${table} WHERE out_map_code = {area:String} UNION DISTINCT ` +
        `SELECT DISTINCT in_area_type AS type FROM ${table} WHERE in_map_code = {area:String}`
      : `SELECT DISTINCT area_type AS type FROM ${table} WHERE map_code = {area:String}`;
  const result = await ch.client.query({
    query,
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
