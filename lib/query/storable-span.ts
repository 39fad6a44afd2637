import { BadRequest } from './bad-request.js';
import { bucketStart, nextBucket, type Resolution } from './buckets.js';

/**
 * The times a request may name, epoch seconds: ClickHouse's DateTime holds 1970-01-01T00:00:00Z to
 * 2106-02-07T06:28:15Z, and anything outside it wraps silently; the span ends at the last new year inside.
 */
export const SPAN_START = 0;
export const SPAN_END = Date.UTC(2106, 0, 1) / 1000;

const iso = (t: number) => new Date(t * 1000).toISOString().replace('.000Z', 'Z');

/** A range [from, to) inside the span, or a 400 naming the end that is not. */
export function checkSpan(from: number, to: number): void {
  if (from < SPAN_START) throw new BadRequest('from', `must be ${iso(SPAN_START)} or later`);
  if (to > SPAN_END) throw new BadRequest('to', `must be ${iso(SPAN_END)} or earlier`);
}

/** A rollup's first bucket starts at or before `from` (weeks on Monday): it must start inside the span too. */
export function checkGridStart(from: number, resolution: Exclude<Resolution, 'native'>): void {
  if (bucketStart(from, resolution) >= SPAN_START) return;
  const first = nextBucket(SPAN_START, resolution);
  throw new BadRequest(
    'from',
    `the first ${resolution} bucket would start before ${iso(SPAN_START)}${resolution === 'P1W' ? ' (weeks start on Monday)' : ''}; start at ${iso(first)} or later`,
  );
}
