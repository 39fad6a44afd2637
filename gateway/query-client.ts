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

/** The query actor reached through Moleculer: in this process or another one on NATS. */
export function brokerQueryClient(broker: ServiceBroker): QueryClient {
  return {
    seriesStream: (params) => broker.call<Readable, Record<string, unknown>>('query.series', params),
    async series(request) {
      const stream = await broker.call<Readable, Record<string, unknown>>(
        'query.series',
        requestParams(request),
      );
      return JSON.parse(await text(stream)) as ColumnarSeries;
    },
    stats: (params) => broker.call<StatsResult, Record<string, unknown>>('query.stats', params),
    areas: (dataset) => broker.call<AreaSummary[], { dataset: string }>('query.areas', { dataset }),
    freshness: (dataset) => broker.call<Freshness, { dataset: string }>('query.freshness', { dataset }),
    types: (area) => broker.call<string[], { area: string }>('query.types', { area }),
    borders: (area) =>
      broker.call<{ out: string; in: string }[], { area?: string }>('query.borders', area ? { area } : {}),
    snapshot: () => broker.call<Snapshot>('query.snapshot'),
  };
}
