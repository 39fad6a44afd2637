import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { DatasetName } from '../config/env.js';
import { DATASETS } from '../entsoe/datasets.js';
import { hash4 } from './random.js';
import { publicationDelay, revisionDelay, revisionFactor } from './revisions.js';
import { seriesOf, type Series, type WeightedTable } from './series.js';
import { MonthSignals } from './signals.js';
import { QUARTER_MS, UtcSecondsFormatter, formatUtc, monthRange, type MonthRange } from './time.js';

/**
 * Writes demo months as the official ENTSO-E legacy monthly files: UTF-8 with a BOM, CRLF, tab-separated,
 * no quotes, `DateTime` as `YYYY-MM-DD HH:MM:SS.000` (UTC interval start), values with two decimals, an
 * empty field for no value, rows grouped by series but not in time order within a series.
 *
 * A file is a pure function of (dataset, month, until, seed). Each row's value and UpdateTime depend only
 * on (seed, series, interval) — except the few values revised by `until`, which carry the revised value
 * and the revision's later UpdateTime — so a file written later holds every row of an earlier one (in the
 * same relative order) plus the intervals published since, like the platform's growing monthly files.
 *
 * API:
 * - `writeMonthFile({ dataset, month, until, out, seed? })` streams one file into `out` and ends it;
 *   resolves with `{ rows, bytes }` once `out` has finished.
 * - `officialFileName(dataset, month)`, e.g. `2022_01_ActualTotalLoad_6.1.A.csv`.
 * - `officialFolder(dataset)`, e.g. `ActualTotalLoad_6.1.A`, the folder under `/TP_export/`.
 */

const DEFAULT_SEED = 1;

export interface MonthFileOptions {
  dataset: DatasetName;
  /** `YYYY-MM` */
  month: string;
  /**
   * Publication time. The file holds the month's intervals that ended by then (so none after the month
   * end) and the revisions made by then. A month is complete from its end on; its revisions keep coming
   * for two more days.
   */
  until: Date;
  /** Ended when the file is complete. */
  out: NodeJS.WritableStream;
  seed?: number;
}

export interface MonthFileStats {
  rows: number;
  bytes: number;
}

const OFFICIAL_FOLDERS: Readonly<Record<DatasetName, string>> = {
  load: 'ActualTotalLoad_6.1.A',
  generation: 'AggregatedGenerationPerType_16.1.B_C',
  flows: 'PhysicalFlows_12.1.G',
};

export function officialFolder(dataset: DatasetName): string {
  return OFFICIAL_FOLDERS[dataset];
}

export function officialFileName(dataset: DatasetName, month: string): string {
  return `${monthRange(month).month.replace('-', '_')}_${OFFICIAL_FOLDERS[dataset]}.csv`;
}

export async function writeMonthFile(options: MonthFileOptions): Promise<MonthFileStats> {
  const untilMs = options.until.getTime();
  if (Number.isNaN(untilMs)) throw new Error('writeMonthFile: until is not a valid date');
  const stats: MonthFileStats = { rows: 0, bytes: 0 };
  const chunks = monthFileChunks(
    options.dataset,
    monthRange(options.month),
    untilMs,
    options.seed ?? DEFAULT_SEED,
    stats,
  );
  await pipeline(Readable.from(chunks, { objectMode: false, highWaterMark: CHUNK_CHARS }), options.out);
  return stats;
}

/** Rows are gathered into strings of about this size: few enough writes, bounded memory. */
const CHUNK_CHARS = 1 << 20;
const QUARTERS_PER_DAY = 96;
const ORDER_SALT = 0x6f72_6472;

/**
 * Orders of the 24 hours within a day: ascending runs of descending hours (`02 01 00 05 04 03 …`), the
 * kind of order the real files show. One is picked per series and day.
 */
const HOUR_ORDERS: readonly (readonly number[])[] = Array.from({ length: 8 }, (_, variant) => {
  const order: number[] = [];
  for (let start = 0; start < 24;) {
    const end = Math.min(24, start + 1 + (hash4(variant, start, 0, ORDER_SALT) % 6));
    for (let h = end - 1; h >= start; h--) order.push(h);
    start = end;
  }
  return order;
});

/** Orders of the intervals within an hour, by intervals per hour (the real files have 23:15 before 23:00). */
const SLOT_ORDERS: Readonly<Record<number, readonly (readonly number[])[]>> = {
  1: [[0]],
  2: [
    [1, 0],
    [0, 1],
  ],
  4: [
    [1, 0, 3, 2],
    [0, 1, 2, 3],
    [1, 0, 2, 3],
    [0, 1, 3, 2],
  ],
};

/** `.00` … `.99`, so a value is formatted from integer hundredths without toFixed. */
const HUNDREDTHS = Array.from({ length: 100 }, (_, i) => '.' + String(i).padStart(2, '0'));

function twoDecimals(mw: number): string {
  const hundredths = Math.round(mw * 100);
  if (hundredths <= 0) return '0.00';
  const whole = Math.floor(hundredths / 100);
  return String(whole) + (HUNDREDTHS[hundredths - whole * 100] as string);
}

/** Mean over the interval's quarters of the weighted sum of the tables. */
function intervalMean(tables: readonly WeightedTable[], quarter: number, quarters: number): number {
  let sum = 0;
  for (const { table, weight } of tables) {
    let part = 0;
    for (let i = quarter; i < quarter + quarters; i++) part += table[i] as number;
    sum += weight * part;
  }
  return sum / quarters;
}

/** Keeps the model of the months in use, so the three datasets and successive versions share it. */
const SIGNAL_CACHE_SIZE = 2;
const signalCache = new Map<string, MonthSignals>();

function monthSignals(seed: number, range: MonthRange): MonthSignals {
  const key = `${seed}:${range.month}`;
  let signals = signalCache.get(key);
  if (signals) {
    signalCache.delete(key);
  } else {
    signals = new MonthSignals(seed, range);
    if (signalCache.size >= SIGNAL_CACHE_SIZE) signalCache.delete(signalCache.keys().next().value as string);
  }
  signalCache.set(key, signals);
  return signals;
}

function* monthFileChunks(
  dataset: DatasetName,
  range: MonthRange,
  untilMs: number,
  seed: number,
  stats: MonthFileStats,
): Generator<Buffer> {
  const published = Math.max(0, Math.min(range.quarters, Math.floor((untilMs - range.startMs) / QUARTER_MS)));
  const untilS = Math.floor(untilMs / 1000);
  const startS = range.startMs / 1000;
  const dateTimes = Array.from(
    { length: published },
    (_, q) => formatUtc(range.startMs + q * QUARTER_MS) + '.000',
  );
  const updateTimes = new UtcSecondsFormatter();
  const signals = monthSignals(seed, range);

  let text = '\uFEFF' + DATASETS[dataset].legacyHeader.join('\t') + '\r\n';
  const flush = (): Buffer => {
    const chunk = Buffer.from(text);
    stats.bytes += chunk.length;
    text = '';
    return chunk;
  };

  for (const series of seriesOf(dataset)) {
    const n = series.quarters;
    const value = series.value(signals);
    const consumed = series.consumed(signals);
    const slotOrders = SLOT_ORDERS[4 / n] as readonly (readonly number[])[];
    for (let day = 0; day * QUARTERS_PER_DAY < published; day++) {
      const hours = HOUR_ORDERS[
        hash4(seed, series.id, day, ORDER_SALT) % HOUR_ORDERS.length
      ] as readonly number[];
      for (const hour of hours) {
        const first = day * QUARTERS_PER_DAY + hour * 4;
        if (first >= published) continue;
        const slots = slotOrders[
          hash4(seed, series.id, first, ORDER_SALT) % slotOrders.length
        ] as readonly number[];
        for (const slot of slots) {
          const q = first + slot * n;
          if (q + n > published) continue;
          const endS = startS + (q + n) * (QUARTER_MS / 1000);
          let updated = endS + publicationDelay(seed, series.id, q);
          let factor = 1;
          const revision = revisionDelay(seed, series.id, q);
          if (revision >= 0 && endS + revision <= untilS) {
            updated = endS + revision;
            factor = revisionFactor(seed, series.id, q);
          }
          text +=
            (dateTimes[q] as string) +
            series.descriptor +
            values(series, value, consumed, q, n, factor) +
            updateTimes.format(updated) +
            '\r\n';
          stats.rows++;
        }
      }
      if (text.length >= CHUNK_CHARS) yield flush();
    }
  }
  yield flush();
}

/** The value fields of one row, each followed by its tab. */
function values(
  series: Series,
  value: readonly WeightedTable[],
  consumed: readonly WeightedTable[],
  q: number,
  n: number,
  factor: number,
): string {
  const output = intervalMean(value, q, n) * factor;
  switch (series.consumption) {
    case null:
      return twoDecimals(output) + '\t';
    case 'none':
      return twoDecimals(output) + '\t\t';
    case 'zero':
      return twoDecimals(output) + '\t0.00\t';
    case 'both':
      return twoDecimals(output) + '\t' + twoDecimals(intervalMean(consumed, q, n) * factor) + '\t';
    case 'either': {
      const pumping = intervalMean(consumed, q, n) * factor;
      return output >= pumping ? twoDecimals(output) + '\t\t' : '\t' + twoDecimals(pumping) + '\t';
    }
  }
}
