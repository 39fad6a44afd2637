import type { ClickHouse } from '../../lib/clickhouse/connection.js';
import type { SchemaOptions } from '../../lib/clickhouse/schema.js';
import type { DatasetName } from '../../lib/config/env.js';
import { preferredAreaType } from '../../lib/query/area-type.js';

const TTL_MS = 60_000;

/** Which area type serves an area changes only when new areas arrive; a minute's cache spares a query per request. */
export class AreaTypeCache {
  private readonly entries = new Map<string, { type: string | null; at: number }>();

  constructor(private readonly schema: SchemaOptions) {}

  async get(ch: ClickHouse, dataset: DatasetName, area: string): Promise<string | null> {
    const key = `${dataset}|${area}`;
    const hit = this.entries.get(key);
    if (hit && Date.now() - hit.at < TTL_MS) return hit.type;
    const type = await preferredAreaType(ch, this.schema, dataset, area);
    this.entries.set(key, { type, at: Date.now() });
    return type;
  }
}
