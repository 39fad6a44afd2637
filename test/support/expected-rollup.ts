import { bucketStart, nextBucket, type Resolution } from '../../lib/query/buckets.js';

/** One stored interval: start (epoch seconds), length in seconds, value in MW. */
export interface Interval {
  t: number;
  step: number;
  value: number;
}

/**
 * The rollup computed from intervals alone, the way the API defines it: each interval is cut at every
 * bucket edge it crosses, and a bucket's value is the time-weighted mean of the pieces in [from, to).
 */
export function expectedRollup(
  intervals: Interval[],
  from: number,
  to: number,
  resolution: Exclude<Resolution, 'native'>,
) {
  const sums = new Map<number, { vw: number; w: number }>();
  for (const r of intervals) {
    for (let t = r.t; t < r.t + r.step;) {
      const end = Math.min(r.t + r.step, nextBucket(t, resolution));
      if (t >= from && t < to) {
        const b = bucketStart(t, resolution);
        const s = sums.get(b) ?? { vw: 0, w: 0 };
        s.vw += r.value * (end - t);
        s.w += end - t;
        sums.set(b, s);
      }
      t = end;
    }
  }
  const t: number[] = [];
  const values: (number | null)[] = [];
  for (let b = bucketStart(from, resolution); b < to; b = nextBucket(b, resolution)) {
    t.push(b);
    const s = sums.get(b);
    values.push(s ? s.vw / s.w : null);
  }
  return { t, values };
}
