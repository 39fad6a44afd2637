/** Pure shaping of columnar series for the chart: one time axis for several sources, resolution padding, stacks. */

export interface NamedSeries {
  name: string;
  values: (number | null)[];
}

export interface TimeSeriesSet {
  t: number[];
  series: NamedSeries[];
}

/**
 * Several sets on the union of their times (each `t` ascending), e.g. areas compared on one chart whose
 * resolutions differ. A series is `null` at a time its own set lacks.
 */
export function mergeOnTimeAxis(sets: readonly TimeSeriesSet[]): TimeSeriesSet {
  const t: number[] = [];
  const cursors = sets.map(() => 0);
  for (;;) {
    let next = Infinity;
    sets.forEach((set, k) => {
      const time = set.t[cursors[k] ?? 0];
      if (time !== undefined && time < next) next = time;
    });
    if (next === Infinity) break;
    t.push(next);
    sets.forEach((set, k) => {
      if (set.t[cursors[k] ?? 0] === next) cursors[k] = (cursors[k] ?? 0) + 1;
    });
  }
  const series: NamedSeries[] = [];
  for (const set of sets) {
    const index = new Array<number>(set.t.length);
    let j = 0;
    set.t.forEach((time, i) => {
      while (t[j] !== time) j++;
      index[i] = j;
    });
    for (const s of set.series) {
      const values = new Array<number | null>(t.length).fill(null);
      index.forEach((j, i) => {
        values[j] = s.values[i] ?? null;
      });
      series.push({ name: s.name, values });
    }
  }
  return { t, series };
}

/** The coarsest native ENTSO-E resolution; two lone values this close are one series at that resolution. */
const COARSEST_NATIVE_STEP = 3600;

/**
 * The runs of nulls that are resolution padding rather than gaps, as `[a, b]` pairs: the nulls lie strictly
 * between the values at `a` and `b`. On a time axis shared with finer series, an hourly series is null at :15,
 * :30 and :45 although its value covers the whole hour. A run is padding when `t[b] - t[a]` is no longer than
 * the series' own spacing next to it (before `a` or after `b`); longer is missing data. A run at either end
 * counts when it is shorter than that spacing: then `a` is -1 (no value before) or `b` is the length.
 */
export function paddingRuns(t: readonly number[], values: readonly (number | null)[]): [number, number][] {
  const runs: [number, number][] = [];
  // The usual series has no null at all; the native scan settles that in a fraction of the loop below.
  if (!values.includes(null)) return runs;
  const n = Math.min(t.length, values.length);
  const time = (i: number) => t[i] ?? 0;
  let before = -1;
  let a = -1;
  for (let i = 0; i < n; i++) {
    if (values[i] == null) continue;
    let after = i + 1;
    while (after < n && values[after] == null) after++;
    const spacingAfter = after < n ? time(after) - time(i) : -Infinity;
    if (a < 0) {
      if (i > 0 && time(i) - time(0) < (spacingAfter === -Infinity ? COARSEST_NATIVE_STEP : spacingAfter)) {
        runs.push([-1, i]);
      }
    } else if (i > a + 1) {
      const spacingBefore = before >= 0 ? time(a) - time(before) : -Infinity;
      const spacing = Math.max(spacingBefore, spacingAfter);
      if (time(i) - time(a) <= (spacing === -Infinity ? COARSEST_NATIVE_STEP : spacing)) runs.push([a, i]);
    }
    before = a;
    a = i;
  }
  if (a >= 0 && a < n - 1) {
    const spacing = before >= 0 ? time(a) - time(before) : COARSEST_NATIVE_STEP;
    if (time(n - 1) - time(a) < spacing) runs.push([a, n]);
  }
  return runs;
}

/**
 * For lines: padding nulls become `undefined`, which uPlot joins across (and the cursor skips), while real gaps
 * stay `null` and break the line. Returns `values` itself when there is no padding.
 */
export function joinPadding(t: readonly number[], values: (number | null)[]): (number | null | undefined)[] {
  const runs = paddingRuns(t, values);
  if (runs.length === 0) return values;
  const out: (number | null | undefined)[] = values.slice();
  for (const [a, b] of runs) out.fill(undefined, a + 1, b);
  return out;
}

/**
 * For stacks: padding nulls take the value before them, which is the mean power over that whole interval.
 * Returns `values` itself when there is no padding.
 */
export function holdPadding(t: readonly number[], values: (number | null)[]): (number | null)[] {
  const runs = paddingRuns(t, values);
  if (runs.length === 0) return values;
  const out = values.slice();
  for (const [a, b] of runs) if (a >= 0) out.fill(values[a] ?? null, a + 1, b);
  return out;
}

/**
 * Running sums of `layers`, bottom first: `result[k][j]` is the sum of layers 0..k at index `at[j]` (or `j`
 * without `at`). A layer without a value adds nothing while another layer has one (a type that does not run
 * there); where no layer has a value every sum is `null`, so the stack shows a gap. Without such gaps the sums
 * are Float64Arrays, which uPlot takes as they are and which cost a fraction of an array of boxed numbers to
 * build and scan.
 */
export function stackLayers(
  layers: readonly (readonly (number | null)[])[],
  length: number,
  at?: Int32Array,
): (Float64Array | (number | null)[])[] {
  const m = at ? at.length : length;
  const present = new Uint8Array(m);
  const sums: Float64Array[] = [];
  let below = new Float64Array(m);
  for (const layer of layers) {
    const sum = new Float64Array(m);
    for (let j = 0; j < m; j++) {
      const v = layer[at ? (at[j] ?? 0) : j];
      const base = below[j] ?? 0;
      if (v == null) {
        sum[j] = base;
      } else {
        sum[j] = base + v;
        present[j] = 1;
      }
    }
    sums.push(sum);
    below = sum;
  }
  if (!present.includes(0)) return sums;
  return sums.map((sum) => Array.from(sum, (v, j) => (present[j] === 1 ? v : null)));
}
