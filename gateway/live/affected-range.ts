import { bucketStart, nextBucket } from '../../lib/query/buckets.js';
import type { SeriesRequest } from '../../lib/query/series-request.js';

/** A half-open range of epoch seconds, UTC: [from, to). */
export interface Range {
  from: number;
  to: number;
}

/**
 * The part of a session's range that a change touches. A rolled-up bucket is only right if it is
 * recomputed from all its intervals, so the overlap grows to whole buckets of the session's resolution;
 * it never leaves the session's range, which is all the client asked to see.
 */
export function affectedRange(
  session: Pick<SeriesRequest, 'from' | 'to' | 'resolution'>,
  change: Range,
): Range | null {
  const from = Math.max(session.from, change.from);
  const to = Math.min(session.to, change.to);
  if (from >= to) return null;
  if (session.resolution === 'native') return { from, to };
  const start = bucketStart(from, session.resolution);
  const end = bucketStart(to, session.resolution) === to ? to : nextBucket(to, session.resolution);
  return { from: Math.max(session.from, start), to: Math.min(session.to, end) };
}

/** The smallest range holding both: one query for a session, however many of its ranges an event touches. */
export function cover(a: Range | undefined, b: Range): Range {
  return a ? { from: Math.min(a.from, b.from), to: Math.max(a.to, b.to) } : b;
}
