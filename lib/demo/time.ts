/** UTC calendar arithmetic and the two timestamp formats of the official files. */

export const QUARTER_MS = 15 * 60 * 1000;
export const HOUR_MS = 60 * 60 * 1000;
export const DAY_MS = 24 * HOUR_MS;

/** One calendar month in UTC: the unit of an official file. */
export interface MonthRange {
  /** `YYYY-MM` */
  month: string;
  startMs: number;
  endMs: number;
  /** Number of quarter-hours in the month: the finest resolution, and the index space of every series. */
  quarters: number;
}

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

export function monthRange(month: string): MonthRange {
  const m = MONTH.exec(month);
  if (!m) throw new Error(`expected a month as YYYY-MM, got "${month}"`);
  const year = Number(m[1]);
  const index = Number(m[2]) - 1;
  const startMs = Date.UTC(year, index, 1);
  const endMs = Date.UTC(year, index + 1, 1);
  return { month, startMs, endMs, quarters: (endMs - startMs) / QUARTER_MS };
}

/** `YYYY-MM` of the month that contains the instant. */
export function monthOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 7);
}

export function addMonths(month: string, delta: number): string {
  const start = new Date(monthRange(month).startMs);
  return monthOf(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + delta, 1));
}

export function floorToQuarter(ms: number): number {
  return Math.floor(ms / QUARTER_MS) * QUARTER_MS;
}

/** `YYYY-MM-DD HH:MM:SS` in UTC. */
export function formatUtc(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

const TWO_DIGITS = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));

/**
 * Formats whole seconds as `YYYY-MM-DD HH:MM:SS` without a Date per call: a month file formats over a
 * million UpdateTimes, and nearly all of them fall on a few dozen days.
 */
export class UtcSecondsFormatter {
  private readonly days = new Map<number, string>();

  format(seconds: number): string {
    const day = Math.floor(seconds / 86400);
    let date = this.days.get(day);
    if (date === undefined) {
      date = formatUtc(day * DAY_MS).slice(0, 11);
      this.days.set(day, date);
    }
    let rest = seconds - day * 86400;
    const hours = Math.floor(rest / 3600);
    rest -= hours * 3600;
    const minutes = Math.floor(rest / 60);
    return (
      date +
      (TWO_DIGITS[hours] as string) +
      ':' +
      (TWO_DIGITS[minutes] as string) +
      ':' +
      (TWO_DIGITS[rest - minutes * 60] as string)
    );
  }
}

/** The EU summer-time period of a year: last Sunday of March to last Sunday of October, 01:00 UTC. */
export function euSummerTime(year: number): { startMs: number; endMs: number } {
  return { startMs: lastSundayOneAm(year, 2), endMs: lastSundayOneAm(year, 9) };
}

function lastSundayOneAm(year: number, monthIndex: number): number {
  const lastDay = new Date(Date.UTC(year, monthIndex + 1, 0));
  return Date.UTC(year, monthIndex, lastDay.getUTCDate() - lastDay.getUTCDay(), 1);
}
