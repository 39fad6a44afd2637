import type { ClickHouse } from '../clickhouse/connection.js';
import { readTable, type SchemaOptions } from '../clickhouse/schema.js';
import { RENEWABLE_TYPES } from '../entsoe/renewables.js';
import type { Snapshot } from '../api/json-shapes.js';
export type { Snapshot };

const WINDOW = 'INTERVAL 2 DAY';

async function rows<T>(ch: ClickHouse, query: string, params: Record<string, unknown> = {}): Promise<T[]> {
  const result = await ch.client.query({ query, query_params: params, format: 'JSONEachRow' });
  return result.json<T>();
}

export async function querySnapshot(ch: ClickHouse, schema: SchemaOptions): Promise<Snapshot> {
  const load = readTable(schema, 'load');
  const generation = readTable(schema, 'generation');
  const flows = readTable(schema, 'flows');
  const [loadRows, generationRows, flowRows] = await Promise.all([
    rows<{ area: string; mw: number; at: number }>(
      ch,
      `SELECT map_code AS area, argMax(value, ts) AS mw, toUnixTimestamp(max(ts)) AS at FROM ${load} ` +
        `WHERE area_type = 'CTY' AND value IS NOT NULL AND ts >= (SELECT max(ts) FROM ${load}) - ${WINDOW} GROUP BY area`,
    ),
    rows<{ area: string; share: number | null; at: number }>(
      ch,
      `SELECT map_code AS area, sumIf(value, production_type IN {renewable:Array(String)}) / nullIf(sum(value), 0) AS share, ` +
        `toUnixTimestamp(any(latest)) AS at FROM ${generation} INNER JOIN (` +
        `SELECT map_code, max(ts) AS latest FROM ${generation} WHERE area_type = 'CTY' AND value IS NOT NULL ` +
        `AND ts >= (SELECT max(ts) FROM ${generation}) - ${WINDOW} GROUP BY map_code) AS l USING (map_code) ` +
        // Storage pumping is reported as negative generation by some areas: only output counts.
        `WHERE area_type = 'CTY' AND ts = latest AND value > 0 GROUP BY area`,
      { renewable: [...RENEWABLE_TYPES] },
    ),
    rows<{ out: string; in: string; mw: number; at: number }>(
      ch,
      `SELECT out_map_code AS out, in_map_code AS in, argMax(value, ts) AS mw, toUnixTimestamp(max(ts)) AS at FROM ${flows} ` +
        `WHERE out_area_type = 'CTY' AND in_area_type = 'CTY' AND value IS NOT NULL ` +
        `AND ts >= (SELECT max(ts) FROM ${flows}) - ${WINDOW} GROUP BY out, in`,
    ),
  ]);
  return {
    at: {
      load: newest(loadRows),
      generation: newest(generationRows),
      flows: newest(flowRows),
    },
    load: Object.fromEntries(loadRows.map((r) => [r.area, r.mw])),
    renewableShare: Object.fromEntries(
      generationRows.filter((r) => r.share !== null).map((r) => [r.area, r.share ?? 0]),
    ),
    ...netFlows(flowRows),
  };
}

function newest(list: { at: number }[]): number | null {
  return list.length === 0 ? null : Math.max(...list.map((r) => r.at));
}

/** Both directions of a border become one arrow of the net flow; each country's net import sums them. */
function netFlows(list: { out: string; in: string; mw: number }[]): Pick<Snapshot, 'netImport' | 'flows'> {
  const directed = new Map(list.map((r) => [`${r.out}>${r.in}`, r.mw]));
  const netImport: Record<string, number> = {};
  const arrows: Snapshot['flows'] = [];
  for (const r of list) {
    netImport[r.in] = (netImport[r.in] ?? 0) + r.mw;
    netImport[r.out] = (netImport[r.out] ?? 0) - r.mw;
    if (r.out > r.in && directed.has(`${r.in}>${r.out}`)) continue;
    const net = r.mw - (directed.get(`${r.in}>${r.out}`) ?? 0);
    arrows.push(net >= 0 ? { out: r.out, in: r.in, mw: net } : { out: r.in, in: r.out, mw: -net });
  }
  return { netImport, flows: arrows.sort((a, b) => a.out.localeCompare(b.out) || a.in.localeCompare(b.in)) };
}
