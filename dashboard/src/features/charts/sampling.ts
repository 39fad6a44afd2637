/**
 * Level of detail for stacks: a year of 15-minute data has about 30 points per pixel column, and every layer's
 * path would visit all of them. Drawing a few chosen points per column looks the same and costs a fraction.
 */

export interface TimeRange {
  from: number;
  to: number;
}

/** The sum of `layers` at each time, NaN where none of them has a value. */
export function layerTotal(layers: readonly (readonly (number | null)[])[], length: number): Float64Array {
  const total = new Float64Array(length);
  const present = new Uint8Array(length);
  for (const layer of layers) {
    for (let i = 0; i < length; i++) {
      const v = layer[i];
      if (v != null) {
        total[i] = (total[i] ?? 0) + v;
        present[i] = 1;
      }
    }
  }
  for (let i = 0; i < length; i++) if (present[i] === 0) total[i] = NaN;
  return total;
}

/**
 * The indices worth drawing when the plot has `columns` pixel columns: per column its first and last point (so
 * neighbouring columns join where they really meet, and areas fill without slivers) and those where `total` is
 * lowest and highest (so the outline of the stack stays exact), plus the first point of each run without a
 * value (so gaps stay gaps). Columns divide `view` finely and the rest of the data coarsely: the zoomed part
 * shows its detail and a double-click can still return to the whole range. `t` is ascending.
 */
export function sampleIndices(
  t: readonly number[],
  total: Float64Array,
  view: TimeRange,
  columns: number,
): Int32Array {
  const n = Math.min(t.length, total.length);
  const out = new Int32Array(n);
  let count = 0;
  const first = t[0] ?? 0;
  const coarse = ((t[n - 1] ?? first) - first) / columns || 1;
  const fine = (view.to - view.from) / columns || 1;

  /** Where the column holding `time` ends: columns of `fine` width in [from, to), of `coarse` width elsewhere. */
  const columnEnd = (time: number): number => {
    if (time >= view.from && time < view.to) {
      return Math.min(view.from + (Math.floor((time - view.from) / fine) + 1) * fine, view.to);
    }
    const end = first + (Math.floor((time - first) / coarse) + 1) * coarse;
    const capped = time < view.from ? Math.min(end, view.from) : end;
    return capped > time ? capped : time + coarse;
  };

  let gaps: number[] = [];
  let colFirst = -1;
  let colLast = -1;
  let colMin = -1;
  let colMax = -1;
  const push = (i: number) => {
    if (count === 0 || out[count - 1] !== i) out[count++] = i;
  };
  const pushGapsBefore = (limit: number, g: number): number => {
    let k = g;
    for (; k < gaps.length && (gaps[k] ?? 0) < limit; k++) push(gaps[k] ?? 0);
    return k;
  };
  const flush = () => {
    let g = 0;
    if (colFirst >= 0) {
      for (const i of [colFirst, Math.min(colMin, colMax), Math.max(colMin, colMax), colLast]) {
        g = pushGapsBefore(i, g);
        push(i);
      }
    }
    pushGapsBefore(Infinity, g);
    gaps = [];
    colFirst = colLast = colMin = colMax = -1;
  };

  let end = -Infinity;
  let inGap = false;
  for (let i = 0; i < n; i++) {
    const ti = t[i] ?? 0;
    if (ti >= end) {
      flush();
      end = columnEnd(ti);
    }
    const v = total[i] ?? NaN;
    if (Number.isNaN(v)) {
      if (!inGap) gaps.push(i);
      inGap = true;
      continue;
    }
    inGap = false;
    if (colFirst < 0) {
      colFirst = colMin = colMax = i;
    } else if (v < (total[colMin] ?? v)) {
      colMin = i;
    } else if (v > (total[colMax] ?? v)) {
      colMax = i;
    }
    colLast = i;
  }
  flush();
  return out.slice(0, count);
}
