import type { Readable } from 'node:stream';
import type { ServiceBroker } from 'moleculer';
import type { DatasetName } from '../lib/config/env.js';
import type { AreaSummary, Freshness } from '../lib/query/catalog-query.js';
import type { ColumnarSeries, SeriesRequest } from '../lib/query/series-request.js';
import type { StatsResult } from '../lib/query/stats-query.js';
import type { Snapshot } from '../lib/query/snapshot-query.js';

/** What the gateway asks of the query actor. */
export interface QueryClient {
  /** The series document as the query actor streams it, JSON or CSV, for passing straight to a response. */
  seriesStream(params: Record<string, unknown>): Promise<Readable>;
  series(request: SeriesRequest): Promise<ColumnarSeries>;
  stats(params: Record<string, unknown>): Promise<StatsResult>;
  areas(dataset: DatasetName): Promise<AreaSummary[]>;
  types(area: string): Promise<string[]>;
  freshness(dataset: DatasetName): Promise<Freshness>;
  borders(area?: string): Promise<{ out: string; in: string }[]>;
  snapshot(): Promise<Snapshot>;
}

const iso = (epochSeconds: number) => new Date(epochSeconds * 1000).toISOString();

/** A parsed request back in the parameter form the query actor checks again on its side. */
export function requestParams(request: SeriesRequest): Record<string, unknown> {
  return {
    dataset: request.dataset,
    area: request.area,
    ...(request.type ? { type: request.type } : {}),
    ...(request.in ? { in: request.in } : {}),
    from: iso(request.from),
    to: iso(request.to),
    resolution: request.resolution,
  };
}

async function text(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream)
    chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string));
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * The query actor reached through Moleculer: in this process or another one on NATS. Each call waits at
 * most `timeoutMs` for the answer (queueing behind other queries included), then fails with Moleculer's
 * RequestTimeoutError, which the gateway answers 503 with Retry-After.
 */
export function brokerQueryClient(broker: ServiceBroker, options: { timeoutMs?: number } = {}): QueryClient {
  const opts = options.timeoutMs === undefined ? {} : { timeout: options.timeoutMs };
  const call = <T>(action: string, params: Record<string, unknown>) =>
    broker.call<T, Record<string, unknown>>(`query.${action}`, params, opts);
  return {
    seriesStream: (params) => call<Readable>('series', params),
    async series(request) {
      const stream = await call<Readable>('series', requestParams(request));
      return JSON.parse(await text(stream)) as ColumnarSeries;
    },
    stats: (params) => call<StatsResult>('stats', params),
    areas: (dataset) => call<AreaSummary[]>('areas', { dataset }),
    freshness: (dataset) => call<Freshness>('freshness', { dataset }),
    types: (area) => call<string[]>('types', { area }),
    borders: (area) => call<{ out: string; in: string }[]>('borders', area ? { area } : {}),
    snapshot: () => call<Snapshot>('snapshot', {}),
  };
}
