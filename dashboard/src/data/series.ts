import { api, type Query } from '../api/client';
import type { ColumnarSeries, DatasetName, Resolution, StatsResult } from '../api/types';
import { useResource } from './use-resource';

/** One request of the series API, as the routes take it. */
export interface SeriesQuery {
  dataset: DatasetName;
  /** For flows, the area the flow leaves. */
  area: string;
  type?: string;
  /** Flows: the area the flow enters. */
  in?: string;
  from: number;
  to: number;
  resolution: Resolution;
}

const iso = (seconds: number) => new Date(seconds * 1000).toISOString();

/** The query string parameters of a series request, for the data routes and the stream. */
export function seriesParams(q: SeriesQuery): Query {
  return {
    ...(q.dataset === 'flows' ? { out: q.area, in: q.in } : { area: q.area }),
    type: q.type,
    from: iso(q.from),
    to: iso(q.to),
    resolution: q.resolution,
  };
}

export function fetchSeries(q: SeriesQuery, signal?: AbortSignal): Promise<ColumnarSeries> {
  return api.get<ColumnarSeries>(`/${q.dataset}`, seriesParams(q), signal);
}

/** Several series requests as one resource: the compared areas, or both directions of every border. */
export function useSeriesSet(queries: SeriesQuery[] | null) {
  const key = queries ? JSON.stringify(queries) : null;
  return useResource(key, (signal) => Promise.all((queries ?? []).map((q) => fetchSeries(q, signal))));
}

/** Statistics of the main series; `refresh` changes when live updates made them stale. */
export function useStats(q: Omit<SeriesQuery, 'resolution'> | null, refresh = 0) {
  const key = q ? JSON.stringify([q, refresh]) : null;
  return useResource(key, (signal) =>
    api.get<StatsResult>(
      '/stats',
      {
        dataset: q?.dataset,
        area: q?.area,
        type: q?.type,
        in: q?.in,
        from: q ? iso(q.from) : undefined,
        to: q ? iso(q.to) : undefined,
      },
      signal,
    ),
  );
}
