import { zoneOffsetSeconds } from '../charts/time-zone';

const DAY = 86400;

function offsetText(offsetSeconds: number): string {
  const sign = offsetSeconds < 0 ? '-' : '+';
  const minutes = Math.round(Math.abs(offsetSeconds) / 60);
  const hh = String(Math.floor(minutes / 60)).padStart(2, '0');
  const mm = String(minutes % 60).padStart(2, '0');
  return `${sign}${hh}:${mm}`;
}

/**
 * ISO 8601 times in a zone with its offset, `2024-07-01T02:00:00+02:00`, or `…Z` for UTC. Asking Intl for
 * every time of a year of quarter hours is slow, so each day's offset is asked at its start and end and only
 * the day a clock change falls in is asked time by time.
 */
export function isoTimesInZone(t: readonly number[], timeZone: string): string[] {
  const days = new Map<number, number | null>();
  const offsetAt = (time: number): number => {
    const day = Math.floor(time / DAY);
    let offset = days.get(day);
    if (offset === undefined) {
      const start = zoneOffsetSeconds(day * DAY, timeZone);
      offset = start === zoneOffsetSeconds(day * DAY + DAY - 1, timeZone) ? start : null;
      days.set(day, offset);
    }
    return offset ?? zoneOffsetSeconds(time, timeZone);
  };
  return t.map((time) => {
    if (timeZone === 'UTC') return new Date(time * 1000).toISOString().slice(0, 19) + 'Z';
    const offset = offsetAt(time);
    return new Date((time + offset) * 1000).toISOString().slice(0, 19) + offsetText(offset);
  });
}
