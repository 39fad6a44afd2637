import type { ColumnarSeries } from '../api/types';

/** Index of the first element of sorted `t` that is ≥ `x`. */
function lowerBound(t: readonly number[], x: number): number {
  let lo = 0;
  let hi = t.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((t[mid] ?? Infinity) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Puts the changed points of a live `update` into what is shown: values at known times are replaced,
 * new times are inserted in order (a month growing), a series seen for the first time is added. The
 * result is a new object, so views re-render; untouched arrays are shared.
 */
export function mergeUpdate(current: ColumnarSeries, update: ColumnarSeries): ColumnarSeries {
  const t = [...current.t];
  const series = current.series.map((s) => ({ name: s.name, values: [...s.values] }));
  const byName = new Map(series.map((s) => [s.name, s]));
  for (const s of update.series) {
    if (!byName.has(s.name)) {
      const added = { name: s.name, values: new Array<number | null>(t.length).fill(null) };
      series.push(added);
      byName.set(s.name, added);
    }
  }
  update.t.forEach((time, j) => {
    const i = lowerBound(t, time);
    if (t[i] !== time) {
      t.splice(i, 0, time);
      for (const s of series) s.values.splice(i, 0, null);
    }
    for (const s of update.series) {
      const target = byName.get(s.name);
      if (target) target.values[i] = s.values[j] ?? null;
    }
  });
  return { ...current, t, series };
}
