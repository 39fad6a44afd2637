import { PassThrough, Readable } from 'node:stream';
import type { Context, Service, ServiceSchema } from 'moleculer';
import { scopedClickHouse, type ClickHouse } from '../../lib/clickhouse/connection.js';
import { readTable } from '../../lib/clickhouse/schema.js';
import { partitionOf } from '../../lib/clickhouse/month-import.js';
import type { DatasetName } from '../../lib/config/env.js';
import { DATASETS } from '../../lib/entsoe/datasets.js';
import type { ProcessContext } from '../runtime/process-context.js';
import { exportCountQuery, exportQuery, parseExportRequest } from './export-query.js';
import { checkExportRows, checkSeriesPoints, checkStatsPoints } from '../../lib/query/answer-limits.js';
import { preferredAreaType } from '../../lib/query/area-type.js';
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
  type SeriesRequest,
} from '../../lib/query/series-request.js';
import { queryStats, type StatsResult } from '../../lib/query/stats-query.js';
import { querySeries } from '../../lib/query/series-query.js';
import { querySnapshot, type Snapshot } from '../../lib/query/snapshot-query.js';
import { CatalogCache } from './catalog-cache.js';
import { followImportEvents, type ImportEvents } from './import-events.js';
import { answerable } from './query-errors.js';

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

type Borders = { out: string; in: string }[];

/**
 * Query actor: reads measurements from ClickHouse for other processes (CLI, gateway). It runs in the
 * process that owns the ClickHouse data (with embedded chdb, the importer's process). Every query stops
 * at the configured time limit; what describes a whole dataset is kept until its next import.
 */
export function queryService(ctx: ProcessContext): ServiceSchema {
  const catalog = new CatalogCache();
  let events: ImportEvents | undefined;
  const timeoutSeconds = ctx.config.query.timeoutMs / 1000;

  /**
   * The engine as one call uses it: each statement stops at the time limit, and none starts once the
   * caller stopped waiting (chdb runs statements one at a time: a queue of abandoned ones would hold up
   * everyone else's).
   */
  async function engine(c: Context): Promise<ClickHouse> {
    const waited = c.options.timeout ?? 0;
    return scopedClickHouse(await ctx.clickhouse(), {
      settings: { max_execution_time: timeoutSeconds },
      ...(waited > 0 ? { signal: AbortSignal.timeout(waited) } : {}),
    });
  }

  async function answer<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      throw answerable(err, timeoutSeconds);
    }
  }

  const areas = (ch: ClickHouse, dataset: DatasetName) =>
    catalog.get(dataset, 'areas', () => listAreas(ch, ctx.schema, dataset));
  const types = (ch: ClickHouse, area: string) =>
    catalog.get('generation', `types:${area}`, () => listProductionTypes(ch, ctx.schema, area));
  const borders = (ch: ClickHouse, area?: string) =>
    catalog.get('flows', `borders:${area ?? '*'}`, () => listBorders(ch, ctx.schema, area));
  const areaType = (ch: ClickHouse, dataset: DatasetName, area: string) =>
    catalog.get(dataset, `areaType:${area}`, () => preferredAreaType(ch, ctx.schema, dataset, area));

  /** How many series an answer has at most: every production type, or every border in both directions. */
  async function seriesCount(ch: ClickHouse, request: SeriesRequest): Promise<number> {
    if (request.dataset === 'load' || request.type || request.in) return 1;
    if (request.dataset === 'generation') return (await types(ch, request.area)).length;
    return (await borders(ch, request.area)).length;
  }

  return {
    name: 'query',
    async started(this: Service) {
      const logger = this.logger;
      try {
        events = await followImportEvents(await ctx.nats(), {
          changed: (dataset) => {
            catalog.invalidate(dataset);
          },
          lost: (error) => {
            catalog.follow(false);
            logger.warn({
              event: 'import_events_lost',
              error: String(error),
              msg: 'areas and freshness are computed at every call from now on',
            });
          },
        });
        catalog.follow(true);
      } catch (err) {
        logger.warn({
          event: 'import_events_unavailable',
          error: String(err),
          msg: 'areas and freshness are computed at every call',
        });
      }
    },
    async stopped() {
      catalog.follow(false);
      await events?.close();
    },
    actions: {
      /** Streams stored values as CSV (with a header) or JSON lines. */
      export: {
        handler(c: Context<Record<string, unknown>>): Promise<Readable> {
          return answer(async () => {
            const request = parseExportRequest(c.params);
            const ch = await engine(c);
            const counted = exportCountQuery(ctx.schema, request);
            const rows = await ch.client.query({
              query: counted.query,
              query_params: counted.params,
              format: 'JSONEachRow',
            });
            checkExportRows(Number((await rows.json<{ n: string | number }>())[0]?.n ?? 0));
            const { query, params } = exportQuery(ctx.schema, request);
            const result = await ch.client.query({
              query,
              query_params: params,
              format: request.format === 'csv' ? 'CSVWithNames' : 'JSONEachRow',
              // The output names its formatted time `ts`, like the column the WHERE clause filters on.
              clickhouse_settings: { prefer_column_name_to_alias: 1 },
            });
            const out = new PassThrough();
            const batches = result.stream();
            batches.on('data', (batch: { text: string }[]) => {
              for (const row of batch) out.write(`${row.text}\n`);
            });
            batches.on('end', () => out.end());
            batches.on('error', (err: Error) => out.destroy(err));
            return out;
          });
        },
      },
      /** Rows and distinct keys stored for one dataset and month: equal when nothing is duplicated. */
      monthStats: {
        params: {
          dataset: { type: 'enum', values: ['load', 'generation', 'flows'] },
          month: { type: 'string', pattern: /^\d{4}-(0[1-9]|1[0-2])$/ },
        },
        handler(
          c: Context<{ dataset: DatasetName; month: string }>,
        ): Promise<{ rows: number; keys: number }> {
          return answer(async () => {
            const ch = await engine(c);
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
          });
        },
      },
      /**
       * One series, or every production type of an area, over a range at a resolution, as a stream of
       * the JSON document (columnar) or CSV: large answers pass through the transporter in chunks.
       */
      series: {
        handler(c: Context<Record<string, unknown>>): Promise<Readable> {
          return answer(async () => {
            const request = parseSeriesRequest(c.params);
            const ch = await engine(c);
            checkSeriesPoints(request, await seriesCount(ch, request));
            const data = await querySeries(
              ch,
              ctx.schema,
              request,
              await areaType(ch, request.dataset, request.area),
            );
            return Readable.from([c.params.format === 'csv' ? columnarToCsv(data) : JSON.stringify(data)]);
          });
        },
      },
      /** Statistics of a series (or of every type, or every direction) over a range. */
      stats: {
        handler(c: Context<Record<string, unknown>>): Promise<StatsResult> {
          return answer(async () => {
            const request = parseStatsRequest(c.params);
            const ch = await engine(c);
            checkStatsPoints(request, await seriesCount(ch, request));
            return queryStats(ch, ctx.schema, request, await areaType(ch, request.dataset, request.area));
          });
        },
      },
      /** Areas with data in a dataset, with names, area types, resolutions, first and last times. */
      areas: {
        handler(c: Context<Record<string, unknown>>): Promise<AreaSummary[]> {
          return answer(async () => areas(await engine(c), parseDataset(c.params.dataset)));
        },
      },
      /** The last import of a dataset and, per area, its newest interval and update. */
      freshness: {
        handler(c: Context<Record<string, unknown>>): Promise<Freshness> {
          return answer(async () => {
            const dataset = parseDataset(c.params.dataset);
            const ch = await engine(c);
            return catalog.get(dataset, 'freshness', () =>
              datasetFreshness(ch, ctx.schema, dataset, areas(ch, dataset)),
            );
          });
        },
      },
      /** Production types with generation data in an area. */
      types: {
        handler(c: Context<Record<string, unknown>>): Promise<string[]> {
          return answer(async () => types(await engine(c), parseMapCode('area', c.params.area)));
        },
      },
      /** Borders with flow data, optionally only those of one area. */
      borders: {
        handler(c: Context<Record<string, unknown>>): Promise<Borders> {
          return answer(async () =>
            borders(
              await engine(c),
              c.params.area === undefined ? undefined : parseMapCode('area', c.params.area),
            ),
          );
        },
      },
      /** Every country now: newest load, renewable share, net import, and the flow over each border. */
      snapshot: {
        handler(c: Context): Promise<Snapshot> {
          return answer(async () => querySnapshot(await engine(c), ctx.schema));
        },
      },
      /** The last import of every dataset and month, newest month first. */
      imports: {
        handler(c: Context): Promise<ImportSummary[]> {
          return answer(async () => {
            const ch = await engine(c);
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
          });
        },
      },
    },
  };
}
