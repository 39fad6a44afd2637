import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { ColumnarSeries, Resolution } from '../../api/types';
import { useFreshness, useSnapshot } from '../../data/catalog';
import { mergeUpdate } from '../../data/live-merge';
import { seriesParams, useSeriesSet, useStats, type SeriesQuery } from '../../data/series';
import { useLive } from '../../data/use-live';
import type { ViewState } from './view-state';

/** Statistics, the map and "last updated" follow live updates, but at most this often. */
const REFRESH_AT_MOST_EVERY_MS = 10_000;

/** The series requests of a view: the main area first, then the compared ones (not for generation). */
export function viewQueries(
  view: ViewState,
  from: number,
  to: number,
  resolution: Resolution,
): SeriesQuery[] {
  const areas = view.dataset === 'generation' ? [view.area] : [view.area, ...view.compare];
  return areas.map((area) => ({
    dataset: view.dataset,
    area,
    ...(view.dataset === 'generation' && view.type ? { type: view.type } : {}),
    from,
    to,
    resolution,
  }));
}

/**
 * Everything the dashboard shows for a view, kept current: the series (with live updates merged in as
 * they arrive), statistics, the map's snapshot and the dataset's freshness.
 */
export function useDashboardData(
  view: ViewState,
  range: { from: number; to: number },
  resolution: Resolution,
  onAccessEnded: (reason: string) => void,
) {
  const queries = useMemo(
    () => viewQueries(view, range.from, range.to, resolution),
    [view, range.from, range.to, resolution],
  );
  const loaded = useSeriesSet(queries);
  const [shown, setShown] = useState<ColumnarSeries[] | undefined>(undefined);
  useEffect(() => {
    setShown(loaded.data);
  }, [loaded.data]);

  const [tick, setTick] = useState(0);
  const lastRefresh = useRef(0);
  const pendingRefresh = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const refreshSoon = () => {
    if (pendingRefresh.current) return;
    const wait = Math.max(0, lastRefresh.current + REFRESH_AT_MOST_EVERY_MS - Date.now());
    pendingRefresh.current = setTimeout(() => {
      pendingRefresh.current = undefined;
      lastRefresh.current = Date.now();
      setTick((n) => n + 1);
    }, wait);
  };
  useEffect(
    () => () => {
      clearTimeout(pendingRefresh.current);
    },
    [],
  );

  const live = useLive(
    queries.map((q) => ({ dataset: q.dataset, ...seriesParams(q) })),
    {
      onUpdate: (index, update) => {
        setShown((docs) => docs?.map((doc, i) => (i === index ? mergeUpdate(doc, update) : doc)));
        refreshSoon();
      },
      onStale: () => {
        loaded.reload();
      },
      onEnded: onAccessEnded,
    },
  );

  const main = queries[0];
  const stats = useStats(
    main
      ? {
          dataset: main.dataset,
          area: main.area,
          ...(main.type ? { type: main.type } : {}),
          from: main.from,
          to: main.to,
        }
      : null,
    tick,
  );
  const snapshot = useSnapshot(tick);
  const freshness = useFreshness(view.dataset, tick);
  return { docs: shown, loading: loaded.loading, error: loaded.error, live, stats, snapshot, freshness };
}
