import { BadRequest } from './bad-request.js';
import { bucketStart, nextBucket, RESOLUTIONS, type Resolution } from './buckets.js';
import { MAX_NATIVE_SPAN_SECONDS, type SeriesRequest } from './series-request.js';

/**
 * The most values one series answer holds (series × buckets): a year of quarter-hours of every production
 * type of an area (16 × 35,040), or of every border of a country in both directions (22 × 35,040), with room.
 */
export const MAX_POINTS = 1_000_000;
/** The most stored values statistics read (series × quarter-hours): ten years of every type of an area. */
export const MAX_STATS_POINTS = 10_000_000;
/** The most rows one export holds: a year of every production type of an area, with room. */
export const MAX_EXPORT_ROWS = 1_000_000;

/** The finest stored resolution: a native answer can hold a value per quarter-hour and series. */
const FINEST_STEP_SECONDS = 900;

const count = (n: number) => n.toLocaleString('en-US');

/** How many times a series answer of [from, to) has: quarter-hours at most when native, else buckets. */
export function bucketCount(from: number, to: number, resolution: Resolution): number {
  if (resolution === 'native') return Math.ceil((to - from) / FINEST_STEP_SECONDS);
  const first = bucketStart(from, resolution);
  const last = bucketStart(to - 1, resolution);
  if (resolution === 'P1M') {
    const a = new Date(first * 1000);
    const b = new Date(last * 1000);
    return (b.getUTCFullYear() - a.getUTCFullYear()) * 12 + b.getUTCMonth() - a.getUTCMonth() + 1;
  }
  return (last - first) / (nextBucket(first, resolution) - first) + 1;
}

function times(resolution: Resolution): string {
  return resolution === 'native' ? 'quarter-hours' : `${resolution} buckets`;
}

/**
 * Refuses a series request whose answer would hold more than {@link MAX_POINTS} values, before anything is
 * queried: naming `resolution` when a coarser one would fit, else `to`.
 */
export function checkSeriesPoints(request: SeriesRequest, series: number): void {
  const n = Math.max(1, series);
  const buckets = bucketCount(request.from, request.to, request.resolution);
  if (n * buckets <= MAX_POINTS) return;
  const said = `${count(n)} series × ${count(buckets)} ${times(request.resolution)} = ${count(n * buckets)} values; an answer holds at most ${count(MAX_POINTS)}`;
  const coarser = RESOLUTIONS.slice(RESOLUTIONS.indexOf(request.resolution) + 1).find(
    (r) =>
      (r.startsWith('P1') || request.to - request.from <= MAX_NATIVE_SPAN_SECONDS) &&
      n * bucketCount(request.from, request.to, r) <= MAX_POINTS,
  );
  if (coarser)
    throw new BadRequest('resolution', `${said}: ask for ${coarser} or coarser, or a shorter range`);
  throw new BadRequest('to', `${said}: ask for a shorter range`);
}

/** Refuses statistics that would read more than {@link MAX_STATS_POINTS} stored values, naming `to`. */
export function checkStatsPoints(request: SeriesRequest, series: number): void {
  const n = Math.max(1, series);
  const quarterHours = bucketCount(request.from, request.to, 'native');
  if (n * quarterHours <= MAX_STATS_POINTS) return;
  throw new BadRequest(
    'to',
    `${count(n)} series × ${count(quarterHours)} quarter-hours = ${count(n * quarterHours)} values to read; statistics read at most ${count(MAX_STATS_POINTS)}: ask for a shorter range`,
  );
}

/** Refuses an export of more than {@link MAX_EXPORT_ROWS} stored rows, naming `to`. */
export function checkExportRows(rows: number): void {
  if (rows <= MAX_EXPORT_ROWS) return;
  throw new BadRequest(
    'to',
    `the range holds ${count(rows)} rows; an export holds at most ${count(MAX_EXPORT_ROWS)}: export a shorter range`,
  );
}
