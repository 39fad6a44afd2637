import { zoneOffsetSeconds } from '../charts/time-zone';
import { formatEnergy } from '../charts/units';

const whenFormats = new Map<string, Intl.DateTimeFormat>();

/** When an extreme happened, in the chosen zone: `3 Jan 2024, 04:00`. */
export function formatWhen(epochSeconds: number, timeZone: string): string {
  let format = whenFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    whenFormats.set(timeZone, format);
  }
  return format.format(epochSeconds * 1000);
}

/** `UTC`, `UTC+2`, `UTC-3:30`. */
export function formatOffset(offsetSeconds: number): string {
  if (offsetSeconds === 0) return 'UTC';
  const sign = offsetSeconds < 0 ? '-' : '+';
  const minutes = Math.round(Math.abs(offsetSeconds) / 60);
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return `UTC${sign}${hours}${rest === 0 ? '' : `:${String(rest).padStart(2, '0')}`}`;
}

/** Hour by hour sum of several 24-hour profiles; null for an hour none of them has. */
export function sumProfiles(profiles: readonly (readonly (number | null)[])[]): (number | null)[] {
  return Array.from({ length: 24 }, (_, hour) => {
    let sum: number | null = null;
    for (const profile of profiles) {
      const v = profile[hour];
      if (v != null) sum = (sum ?? 0) + v;
    }
    return sum;
  });
}

/**
 * The API's profile is by UTC hour; this turns it to the zone's hours, by the zone's offset at `at` (one
 * offset for the whole range, so it is named in the caption). Zones off by a fraction of an hour keep UTC.
 */
export function profileInZone(
  profile: readonly (number | null)[],
  timeZone: string,
  at: number,
): { values: (number | null)[]; offsetSeconds: number } {
  const offsetSeconds = zoneOffsetSeconds(at, timeZone);
  if (offsetSeconds % 3600 !== 0) return { values: profile.slice(0, 24), offsetSeconds: 0 };
  const shift = offsetSeconds / 3600;
  return {
    values: Array.from({ length: 24 }, (_, hour) => profile[(((hour - shift) % 24) + 24) % 24] ?? null),
    offsetSeconds,
  };
}

/** A balance in words, since a sign alone leaves readers guessing which way it goes. */
export function netLabel(netImportMWh: number): string {
  return netImportMWh >= 0
    ? `net import ${formatEnergy(netImportMWh)}`
    : `net export ${formatEnergy(-netImportMWh)}`;
}
