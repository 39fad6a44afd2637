/** The resolutions a series can be asked for: as stored, or rolled up into buckets of these lengths. */
export const RESOLUTIONS = ['native', 'PT15M', 'PT30M', 'PT60M', 'P1D', 'P1W', 'P1M'] as const;
export type Resolution = (typeof RESOLUTIONS)[number];

const FIXED: Partial<Record<Resolution, number>> = { PT15M: 900, PT30M: 1800, PT60M: 3600, P1D: 86400 };
const MONDAY_1970_01_05 = 4 * 86400;

/** Start (epoch seconds, UTC) of the bucket holding `t`: weeks start on Monday, months on the 1st. */
export function bucketStart(t: number, resolution: Exclude<Resolution, 'native'>): number {
  const fixed = FIXED[resolution];
  if (fixed !== undefined) return Math.floor(t / fixed) * fixed;
  if (resolution === 'P1W')
    return Math.floor((t - MONDAY_1970_01_05) / (7 * 86400)) * 7 * 86400 + MONDAY_1970_01_05;
  const d = new Date(t * 1000);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) / 1000;
}

/** Start of the bucket after the one holding `t`. */
export function nextBucket(t: number, resolution: Exclude<Resolution, 'native'>): number {
  const start = bucketStart(t, resolution);
  const fixed = FIXED[resolution];
  if (fixed !== undefined) return start + fixed;
  if (resolution === 'P1W') return start + 7 * 86400;
  const d = new Date(start * 1000);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) / 1000;
}
