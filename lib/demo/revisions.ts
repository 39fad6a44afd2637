import { uniform } from './random.js';

/**
 * When demo values reach the platform. A value is first published a few minutes after its interval
 * ends; a small deterministic set of values is revised hours to two days later, with a changed value
 * and a later UpdateTime, as TSOs correct their data. All delays are in seconds after the interval end.
 */

const DELAY_SALT = 0x6c61_6731;
const JITTER_SALT = 0x6a69_7474;
const REVISION_SALT = 0x7265_7631;
const REVISION_TIME_SALT = 0x7265_7632;
const REVISION_SIZE_SALT = 0x7265_7633;

/** Each series has its own usual delay (TSOs publish on their own schedules), then jitter per interval. */
const SERIES_DELAY_MIN_S = 150;
const SERIES_DELAY_SPAN_S = 540;
const JITTER_S = 150;

/** About one value in a thousand is revised. */
const REVISION_SHARE = 0.001;
const REVISION_MIN_S = 3 * 3600;
const REVISION_SPAN_S = 45 * 3600;

/** Upper bound of the first publication delay: UpdateTime never runs further ahead of the interval end. */
export const MAX_PUBLICATION_DELAY_S = SERIES_DELAY_MIN_S + SERIES_DELAY_SPAN_S + JITTER_S;

/** Upper bound of the revision delay: after this, a month's file no longer changes. */
export const MAX_REVISION_DELAY_S = REVISION_MIN_S + REVISION_SPAN_S;

export function publicationDelay(seed: number, seriesId: number, quarter: number): number {
  return (
    SERIES_DELAY_MIN_S +
    Math.floor(uniform(seed, seriesId, 0, DELAY_SALT) * SERIES_DELAY_SPAN_S) +
    Math.floor(uniform(seed, seriesId, quarter, JITTER_SALT) * JITTER_S)
  );
}

/** Delay of the value's revision, or -1 if it is never revised. */
export function revisionDelay(seed: number, seriesId: number, quarter: number): number {
  if (uniform(seed, seriesId, quarter, REVISION_SALT) >= REVISION_SHARE) return -1;
  return REVISION_MIN_S + Math.floor(uniform(seed, seriesId, quarter, REVISION_TIME_SALT) * REVISION_SPAN_S);
}

/** Factor from the first to the revised value: 2 to 10 % up or down. */
export function revisionFactor(seed: number, seriesId: number, quarter: number): number {
  const u = uniform(seed, seriesId, quarter, REVISION_SIZE_SALT);
  return u < 0.5 ? 0.98 - 0.16 * u : 1.02 + 0.16 * (u - 0.5);
}
