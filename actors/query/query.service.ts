import { PassThrough, Readable } from 'node:stream';
import { Errors, type Context, type ServiceSchema } from 'moleculer';
import { readTable } from '../../lib/clickhouse/schema.js';
import { partitionOf } from '../../lib/clickhouse/month-import.js';
import type { DatasetName } from '../../lib/config/env.js';
import { DATASETS } from '../../lib/entsoe/datasets.js';
import type { ProcessContext } from '../runtime/process-context.js';
import { exportQuery, parseExportRequest } from './export-query.js';
import { BadRequest } from '../../lib/query/bad-request.js';
import {
  datasetFreshness,
  listAreas,
  listBorders,
  listProductionTypes,
  type AreaSummary,
  type Freshness,
} from '../../lib/query/catalog-query.js';
import { columnarToCsv } from '../../lib/query/csv.js';
import {
  parseDataset,
  parseMapCode,
  parseSeriesRequest,
  parseStatsRequest,
} from '../../lib/query/series-request.js';
import { queryStats, type StatsResult } from '../../lib/query/stats-query.js';
import { querySeries } from '../../lib/query/series-query.js';
import { querySnapshot, type Snapshot } from '../../lib/query/snapshot-query.js';
import { AreaTypeCache } from './area-type-cache.js';

export interface ImportSummary {
  dataset: string;
  month: string;
  sha256: string;
  status: string;
  file_name: string;
  rows: number;
  changed_points: number;
  imported_at: string;
  imports: number;
}

/**
 * Query actor: reads measurements from ClickHouse for other processes (CLI, gateway). It runs in the
 * process that owns the ClickHouse data (with embedded chdb, the importer's process).
 */
/** Turns a bad parameter into Moleculer's validation error, which keeps the parameter's name. */
function validated<T>(parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    if (err instanceof BadRequest) {
      throw new Errors.ValidationError(err.message, 'BAD_PARAMETER', { parameter: err.parameter });
    }
    throw err;
  }
}

export function queryService(ctx: ProcessContext): ServiceSchema {
  const areaTypes = new AreaTypeCache(ctx.schema);
  return {
    name: 'query',
    actions: {
      /** Streams stored values as CSV (with a header) or JSON lines. */
      export: {
        async handler(c: Context<Record<string, unknown>>): Promise<Readable> {
          let request;
          try {
            request = parseExportRequest(c.params);
          } catch (err) {
            if (err instanceof BadRequest)
              throw new Errors.ValidationError(err.message, 'BAD_PARAMETER', { parameter: err.parameter });
            throw err;
          }
          const ch = await ctx.clickhouse();
          const { query, params } = exportQuery(ctx.schema, request);
          const result = await ch.client.query({
            query,
            query_params: params,
            format: request.format === 'csv' ? 'CSVWithNames' : 'JSONEachRow',
            // The output names its formatted time `ts`, like the column the WHERE clause filters on.
            clickhouse_settings: { prefer_column_name_to_alias: 1 },
          });
          const out = new PassThrough();
          const rows = result.stream();
          rows.on('data', (batch: { text: string }[]) => {
            for (const row of batch) out.write(`${row.text}\n`);
          });
          rows.on('end', () => out.end());
          rows.on('error', (err: Error) => out.destroy(err));
          return out;
        },
      },
      /** Rows and distinct keys stored for one dataset and month: equal when nothing is duplicated. */
      monthStats: {
        params: {
          dataset: { type: 'enum', values: ['load', 'generation', 'flows'] },
          month: { type: 'string', pattern: /^\d{4}-(0[1-9]|1[0-2])$/ },
        },
        async handler(
          c: Context<{ dataset: DatasetName; month: string }>,
        ): Promise<{ rows: number; keys: number }> {
          const ch = await ctx.clickhouse();
          const spec = DATASETS[c.params.dataset];
          const result = await ch.client.query({
            query:
              `SELECT count() AS rows, uniqExact(${['ts', ...spec.seriesKey].join(', ')}) AS keys FROM ${readTable(ctx.schema, spec.name)} ` +
              'WHERE toYYYYMM(ts) = {partition:UInt32}',
            query_params: { partition: partitionOf(c.params.month) },
            format: 'JSONEachRow',
          });
          const [row] = await result.json<{ rows: string | number; keys: string | number }>();
          return { rows: Number(row?.rows ?? 0), keys: Number(row?.keys ?? 0) };
        },
      },
      /**
       * One series, or every production type of an area, over a range at a resolution, as a stream of
       * the JSON document (columnar) or CSV: large answers pass through the transporter in chunks.
       */
      series: {
        async handler(c: Context<Record<string, unknown>>): Promise<Readable> {
          const request = validated(() => parseSeriesRequest(c.params));
          const ch = await ctx.clickhouse();
          const data = await querySeries(
            ch,
            ctx.schema,
            request,
            await areaTypes.get(ch, request.dataset, request.area),
          );
          return Readable.from([c.params.format === 'csv' ? columnarToCsv(data) : JSON.stringify(data)]);
        },
      },
      /** Statistics of a series (or of every type, or every direction) over a range. */
      stats: {
        async handler(c: Context<Record<string, unknown>>): Promise<StatsResult> {
          const request = validated(() => parseStatsRequest(c.params));
          const ch = await ctx.clickhouse();
          return queryStats(ch, ctx.schema, request, await areaTypes.get(ch, request.dataset, request.area));
        },
      },
      /** Areas with data in a dataset, with names, area types, resolutions, first and last times. */
      areas: {
        async handler(c: Context<Record<string, unknown>>): Promise<AreaSummary[]> {
          const dataset = validated(() => parseDataset(c.params.dataset));
          return listAreas(await ctx.clickhouse(), ctx.schema, dataset);
        },
      },
      /** The last import of a dataset and, per area, its newest interval and update. */
      freshness: {
        async handler(c: Context<Record<string, unknown>>): Promise<Freshness> {
          const dataset = validated(() => parseDataset(c.params.dataset));
          return datasetFreshness(await ctx.clickhouse(), ctx.schema, dataset);
        },
      },
      /** Production types with generation data in an area. */
      types: {
        async handler(c: Context<Record<string, unknown>>): Promise<string[]> {
          const area = validated(() => parseMapCode('area', c.params.area));
          return listProductionTypes(await ctx.clickhouse(), ctx.schema, area);
        },
      },
      /** Borders with flow data, optionally only those of one area. */
      borders: {
        async handler(c: Context<Record<string, unknown>>): Promise<{ out: string; in: string }[]> {
          const area =
            c.params.area === undefined ? undefined : validated(() => parseMapCode('area', c.params.area));
          return listBorders(await ctx.clickhouse(), ctx.schema, area);
        },
      },
      /** Every country now: newest load, renewable share, net import, and the flow over each border. */
      snapshot: {
        async handler(): Promise<Snapshot> {
          return querySnapshot(await ctx.clickhouse(), ctx.schema);
        },
      },
      /** The last import of every dataset and month, newest month first. */
      imports: {
        async handler(): Promise<ImportSummary[]> {
          const ch = await ctx.clickhouse();
          // Aggregated under names no column has, then named like the columns: an alias equal to a column's
          // name would stand for the aggregate inside the other aggregates too (`uniqExact(sha256)`).
          const result = await ch.client.query({
            query:
              `SELECT dataset, month, latest.1 AS sha256, latest.2 AS status, latest.3 AS file_name, latest.4 AS rows, ` +
              `latest.5 AS changed_points, formatDateTime(last_at, '%Y-%m-%dT%H:%i:%SZ') AS imported_at, versions AS imports ` +
              `FROM (SELECT dataset, month, argMax((sha256, status, file_name, rows, changed_points), imported_at) AS latest, ` +
              `max(imported_at) AS last_at, uniqExact(sha256) AS versions ` +
              `FROM ${readTable(ctx.schema, 'imports')} GROUP BY dataset, month) ORDER BY month DESC, dataset`,
            format: 'JSONEachRow',
          });
          return result.json<ImportSummary>();
        },
      },
    },
  };
}
