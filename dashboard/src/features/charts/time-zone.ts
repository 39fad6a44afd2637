/** Wall-clock time in a named zone ('UTC' or IANA), from one cached Intl formatter per zone. */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The zone's wall clock at `epochSeconds` as if it were UTC, in epoch seconds. */
function wallClockSeconds(epochSeconds: number, timeZone: string): number {
  const fields: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(epochSeconds * 1000)) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  return (
    Date.UTC(
      fields.year ?? 1970,
      (fields.month ?? 1) - 1,
      fields.day ?? 1,
      fields.hour ?? 0,
      fields.minute ?? 0,
      fields.second ?? 0,
    ) / 1000
  );
}

/** Offset from UTC in seconds (east positive) of `timeZone` at `epochSeconds`. */
export function zoneOffsetSeconds(epochSeconds: number, timeZone: string): number {
  if (timeZone === 'UTC') return 0;
  const whole = Math.floor(epochSeconds);
  return wallClockSeconds(whole, timeZone) - whole;
}

/**
 * A Date whose local fields (getHours, getDate, …) read the zone's wall clock at `epochSeconds`: what uPlot's
 * `tzDate` option wants. uPlot's own helper builds a locale string per call, which is slow for many ticks.
 */
export function wallClockDate(epochSeconds: number, timeZone: string): Date {
  const wall = epochSeconds + zoneOffsetSeconds(epochSeconds, timeZone);
  const d = new Date(wall * 1000);
  return new Date(
    d.getUTCFullYear(),
    d.getUTCMonth(),
    d.getUTCDate(),
    d.getUTCHours(),
    d.getUTCMinutes(),
    d.getUTCSeconds(),
    d.getUTCMilliseconds(),
  );
}
