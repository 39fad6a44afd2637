import {
  MAP_CODE,
  MAP_CODES,
  PRODUCTION_TYPES,
  RESOLUTION_SECONDS,
  isAreaCode,
  normalizeAreaType,
} from './codes.js';
import type { CanonicalColumn } from './datasets.js';
import type { Layout } from './layout.js';
import type { RejectReason } from './reject-reasons.js';

const TAB = 0x09;
const SPACE = 0x20;
const DASH = 0x2d;
const DOT = 0x2e;
const ZERO = 0x30;
const COLON = 0x3a;
const NL = 0x0a;
const BACKSLASH_N = Buffer.from('\\N');
const MAX_LABEL_LENGTH = 200;
/** Bound on the series cache, so a hostile file of all-distinct series cannot grow memory. */
const CACHE_LIMIT = 50_000;
/** Longest canonical row: longer than any source row the normalizer accepts, plus the `.000` it may add. */
export const MAX_ROW_BYTES = 4096;

const SPREADSHEET_DATETIME = /^(\d{2})\/(\d{2})\/(\d{4}) (\d{2}):(\d{2})$/;
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

interface Descriptor {
  /** Canonical bytes of the columns between `ts` and the values. */
  bytes: Buffer;
  resolutionSeconds: number;
}

interface DescriptorEntry {
  raw: Buffer;
  value: Descriptor | RejectReason;
}

function validCalendar(y: number, mo: number, d: number, h: number, mi: number, s: number): boolean {
  if (y < 2000 || y > 2100 || mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return false;
  return d <= new Date(Date.UTC(y, mo, 0)).getUTCDate();
}

/** The decimal number in `b[start, start+length)`, or -1 if a byte is not a digit. */
function digits(b: Uint8Array, start: number, length: number): number {
  let value = 0;
  for (let i = start; i < start + length; i++) {
    const c = (b[i] as number) - ZERO;
    if (c < 0 || c > 9) return -1;
    value = value * 10 + c;
  }
  return value;
}

/** `-?\d{1,15}(\.\d{1,9})?` in `b[start, end)`. */
function isDecimal(b: Uint8Array, start: number, end: number): boolean {
  let i = start;
  if (b[i] === DASH) i++;
  const intStart = i;
  while (i < end) {
    const c = (b[i] as number) - ZERO;
    if (c < 0 || c > 9) break;
    i++;
  }
  const intDigits = i - intStart;
  if (intDigits === 0 || intDigits > 15) return false;
  if (i === end) return true;
  if (b[i] !== DOT) return false;
  i++;
  const fractionDigits = end - i;
  if (fractionDigits < 1 || fractionDigits > 9) return false;
  for (; i < end; i++) {
    const c = (b[i] as number) - ZERO;
    if (c < 0 || c > 9) return false;
  }
  return true;
}

/**
 * Whether the digits of a decimal are all zero (`0`, `0.00`). No value may be negative: a flow row holds
 * one direction, load is never below zero, and generation reports what a type draws as its consumption.
 */
function isZero(b: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (b[i] !== ZERO && b[i] !== DOT) return false;
  return true;
}

/** `YYYY-MM-DD HH:MM:SS` at `at` as YYYYMMDDhhmm (a number that sorts as time), or -1. */
function dateTimeKey(b: Uint8Array, at: number): number {
  if (
    b[at + 4] !== DASH ||
    b[at + 7] !== DASH ||
    b[at + 10] !== SPACE ||
    b[at + 13] !== COLON ||
    b[at + 16] !== COLON
  ) {
    return -1;
  }
  const y = digits(b, at, 4);
  const mo = digits(b, at + 5, 2);
  const d = digits(b, at + 8, 2);
  const h = digits(b, at + 11, 2);
  const mi = digits(b, at + 14, 2);
  if (y < 0 || mo < 0 || d < 0 || h < 0 || mi < 0) return -1;
  return (((y * 100 + mo) * 100 + d) * 100 + h) * 100 + mi;
}

/** Where canonical rows are written: a byte buffer the parser flushes when it fills. */
export interface RowSink {
  buf: Buffer;
  pos: number;
}

/**
 * Validates one source row and writes it in the canonical layout, working on bytes.
 *
 * Every layout orders its columns the same way — interval start, then the columns that name a series
 * (resolution, areas, production type), then the values, then UpdateTime — so a row is cut at its tabs
 * into four parts. The series part is checked once per distinct byte string (a month has ~2,000 series
 * but over a million rows) and found again by a hash of its bytes, so no string is made per row.
 * One instance per file.
 */
export class RowNormalizer {
  /** Rows whose UpdateTime was in the spreadsheet form `DD/MM/YYYY HH:MM`, rewritten to ISO. */
  spreadsheetUpdateTimes = 0;
  private firstKey = Number.POSITIVE_INFINITY;
  private lastKey = Number.NEGATIVE_INFINITY;
  private monthKey: number;
  private readonly columns: number;
  private readonly descriptorFields: number;
  private readonly valueFields: number;
  private readonly descriptorColumns: readonly CanonicalColumn[];
  /** For each canonical descriptor column, its position among the source descriptor fields. */
  private readonly descriptorOrder: readonly number[];
  private readonly descriptors = new Map<number, DescriptorEntry[]>();
  private lastDescriptor: DescriptorEntry | null = null;
  private readonly validDays = new Map<number, boolean>();
  private readonly tabs: Int32Array;
  private readonly spreadsheetUpdate = Buffer.alloc(23);
  /**
   * For a file whose columns come in an order the row cutting does not follow (columns are mapped by
   * name): the source column of each canonical column. Each row is first rewritten in canonical order.
   */
  private readonly reorder: Int32Array | null = null;
  private readonly reordered: Buffer | null = null;
  private readonly fieldStarts: Int32Array;
  private readonly fieldEnds: Int32Array;

  constructor(
    layout: Layout,
    /** `YYYY-MM` the file covers; null until the first valid row sets it. */
    month: string | null,
    /**
     * The last month data may be for, as YYYYMM: rows of later months are refused (`future_month`), so a
     * bit flip in a year cannot make the areas claim data until 2099.
     */
    private readonly latestMonthKey: number,
  ) {
    const columns = layout.dataset.columns;
    this.columns = layout.sourceColumns;
    this.tabs = new Int32Array(this.columns);
    this.fieldStarts = new Int32Array(this.columns);
    this.fieldEnds = new Int32Array(this.columns);
    this.descriptorColumns = columns.filter(
      (c) => c.kind !== 'datetime' && c.kind !== 'value' && c.kind !== 'updated',
    );
    this.valueFields = columns.filter((c) => c.kind === 'value').length;
    this.descriptorFields = this.descriptorColumns.length;
    let sourceIndex = layout.sourceIndex;
    if (!inRowOrder(layout, this.descriptorFields)) {
      // Every source column maps to one canonical column, so the canonical order is a permutation of it.
      this.reorder = Int32Array.from(sourceIndex);
      this.reordered = Buffer.allocUnsafe(MAX_ROW_BYTES);
      sourceIndex = columns.map((_, i) => i);
    }
    const indexOf = (c: CanonicalColumn) => sourceIndex[columns.indexOf(c)] as number;
    const firstDescriptor = Math.min(...this.descriptorColumns.map(indexOf));
    this.descriptorOrder = this.descriptorColumns.map((c) => indexOf(c) - firstDescriptor);
    this.monthKey = month === null ? -1 : Number(month.slice(0, 4)) * 100 + Number(month.slice(5, 7));
  }

  get month(): string | null {
    if (this.monthKey < 0) return null;
    return `${Math.floor(this.monthKey / 100)}-${String(this.monthKey % 100).padStart(2, '0')}`;
  }

  get firstTs(): string | null {
    return Number.isFinite(this.firstKey) ? keyToTs(this.firstKey) : null;
  }

  get lastTs(): string | null {
    return Number.isFinite(this.lastKey) ? keyToTs(this.lastKey) : null;
  }

  /**
   * Normalizes the row `b[start, end)` (no line terminator) into `out`.
   * Returns null when written, else why the row is rejected.
   */
  normalize(b: Buffer, start: number, end: number, out: RowSink): RejectReason | null {
    let reason: RejectReason | null;
    if (this.reorder === null) reason = this.cut(b, start, end, out);
    else if (end - start > MAX_ROW_BYTES - 8) reason = 'line_too_long';
    else if (!this.permute(b, start, end)) reason = 'wrong_column_count';
    else reason = this.cut(this.reordered as Buffer, 0, end - start, out);
    if (reason !== null && reason !== 'invalid_utf8' && !isUtf8(b.subarray(start, end)))
      return 'invalid_utf8';
    return reason;
  }

  /** Writes the row's fields into `reordered` in canonical order; false if it has the wrong field count. */
  private permute(b: Buffer, start: number, end: number): boolean {
    const starts = this.fieldStarts;
    const ends = this.fieldEnds;
    let n = 0;
    starts[0] = start;
    for (let i = start; i < end; i++) {
      if (b[i] === TAB) {
        if (n === this.columns - 1) return false;
        ends[n++] = i;
        starts[n] = i + 1;
      }
    }
    if (n !== this.columns - 1) return false;
    ends[n] = end;
    const o = this.reordered as Buffer;
    const order = this.reorder as Int32Array;
    let p = 0;
    for (let c = 0; c < this.columns; c++) {
      if (c > 0) o[p++] = TAB;
      const field = order[c] as number;
      p += b.copy(o, p, starts[field], ends[field]);
    }
    return true;
  }

  private cut(b: Buffer, start: number, end: number, out: RowSink): RejectReason | null {
    if (end - start > MAX_ROW_BYTES - 8) return 'line_too_long';
    const tabs = this.tabs;
    let n = 0;
    for (let i = start; i < end; i++) {
      if (b[i] === TAB) {
        if (n === this.columns - 1) return 'wrong_column_count';
        tabs[n++] = i;
      }
    }
    if (n !== this.columns - 1) return 'wrong_column_count';

    const t1 = tabs[0] as number;
    const descriptorEnd = tabs[this.descriptorFields] as number;
    const valuesEnd = tabs[this.descriptorFields + this.valueFields] as number;
    let present = 0;
    for (let i = 0; i < this.valueFields; i++) {
      const from = (tabs[this.descriptorFields + i] as number) + 1;
      const to = tabs[this.descriptorFields + i + 1] as number;
      if (from === to) continue;
      if (!isDecimal(b, from, to)) return 'invalid_number';
      if (b[from] === DASH && !isZero(b, from + 1, to)) return 'negative_value';
      present++;
    }
    if (present === 0 && this.valueFields > 1) return 'no_value';

    const descriptor = this.lookupDescriptor(b, t1 + 1, descriptorEnd);
    if (typeof descriptor === 'string') return descriptor;

    // Interval start: `YYYY-MM-DD HH:MM:SS` with an optional fraction that must be zero (`.000`).
    const tsLength = t1 - start;
    if (tsLength !== 19 && !(tsLength > 20 && b[start + 19] === DOT)) return 'invalid_datetime';
    const key = dateTimeKey(b, start);
    if (key < 0 || !this.validDay(key)) return 'invalid_datetime';
    const seconds = digits(b, start + 17, 2);
    if (seconds < 0) return 'invalid_datetime';
    if (tsLength > 19) {
      const fraction = digits(b, start + 20, tsLength - 20);
      if (fraction < 0) return 'invalid_datetime';
      if (fraction !== 0) return 'misaligned_datetime';
    }
    if (seconds !== 0 || ((key % 100) * 60) % descriptor.resolutionSeconds !== 0)
      return 'misaligned_datetime';
    const monthKey = Math.floor(key / 1000000);
    if (monthKey > this.latestMonthKey) return 'future_month';

    const updatedStart = valuesEnd + 1;
    const updatedLength = end - updatedStart;
    let updated: Uint8Array = b;
    let updatedAt = updatedStart;
    let updatedFraction = -1;
    if (updatedLength === 19 || (updatedLength > 20 && updatedLength <= 29 && b[updatedStart + 19] === DOT)) {
      const ukey = dateTimeKey(b, updatedStart);
      if (
        ukey < 0 ||
        !this.validDay(ukey) ||
        digits(b, updatedStart + 17, 2) < 0 ||
        digits(b, updatedStart + 17, 2) > 59
      ) {
        return 'invalid_update_time';
      }
      if (updatedLength > 20 && digits(b, updatedStart + 20, updatedLength - 20) < 0)
        return 'invalid_update_time';
      // A future UpdateTime would win every later correction of the value.
      if (Math.floor(ukey / 1000000) > this.latestMonthKey) return 'invalid_update_time';
      if (updatedLength > 19) updatedFraction = updatedStart + 20;
    } else {
      if (!this.spreadsheetUpdateTime(b.toString('latin1', updatedStart, end))) return 'invalid_update_time';
      updated = this.spreadsheetUpdate;
      updatedAt = 0;
    }

    if (this.monthKey < 0) this.monthKey = monthKey;
    else if (monthKey !== this.monthKey) return 'outside_month';
    if (key < this.firstKey) this.firstKey = key;
    if (key > this.lastKey) this.lastKey = key;

    // Write: ts \t descriptor \t values \t updated \n
    const o = out.buf;
    let p = out.pos;
    for (let i = 0; i < 19; i++) o[p++] = b[start + i] as number;
    o[p++] = TAB;
    p += descriptor.bytes.copy(o, p);
    for (let i = 0; i < this.valueFields; i++) {
      o[p++] = TAB;
      const from = (tabs[this.descriptorFields + i] as number) + 1;
      const to = tabs[this.descriptorFields + i + 1] as number;
      if (from === to) {
        o[p++] = BACKSLASH_N[0] as number;
        o[p++] = BACKSLASH_N[1] as number;
      } else for (let j = from; j < to; j++) o[p++] = b[j] as number;
    }
    o[p++] = TAB;
    for (let i = 0; i < 19; i++) o[p++] = updated[updatedAt + i] as number;
    o[p++] = DOT;
    for (let i = 0; i < 3; i++) {
      const at = updatedFraction + i;
      o[p++] = updatedFraction >= 0 && at < end ? (b[at] as number) : ZERO;
    }
    o[p++] = NL;
    out.pos = p;
    return null;
  }

  /** Whether the YYYYMMDDhhmm key names a real hour and minute of a real calendar day. */
  private validDay(key: number): boolean {
    if (Math.floor(key / 100) % 100 > 23 || key % 100 > 59) return false;
    const day = Math.floor(key / 10000);
    let valid = this.validDays.get(day);
    if (valid === undefined) {
      valid = validCalendar(Math.floor(day / 10000), Math.floor(day / 100) % 100, day % 100, 0, 0, 0);
      this.validDays.set(day, valid);
    }
    return valid;
  }

  /** A spreadsheet re-saved some course files' UpdateTime as DD/MM/YYYY HH:MM; the meaning is unambiguous. */
  private spreadsheetUpdateTime(raw: string): boolean {
    const s = SPREADSHEET_DATETIME.exec(raw);
    if (!s || !validCalendar(Number(s[3]), Number(s[2]), Number(s[1]), Number(s[4]), Number(s[5]), 0))
      return false;
    if (Number(s[3]) * 100 + Number(s[2]) > this.latestMonthKey) return false;
    this.spreadsheetUpdate.write(`${s[3]}-${s[2]}-${s[1]} ${s[4]}:${s[5]}:00`, 0, 'latin1');
    this.spreadsheetUpdateTimes++;
    return true;
  }

  private lookupDescriptor(b: Buffer, start: number, end: number): Descriptor | RejectReason {
    const length = end - start;
    // Official files group rows by series, so the previous row's series matches most of the time.
    const last = this.lastDescriptor;
    if (last !== null && last.raw.length === length && b.compare(last.raw, 0, length, start, end) === 0)
      return last.value;
    let h = length;
    for (let i = start; i < end; i += 2) h = Math.imul(h ^ (b[i] as number), 0x01000193);
    const bucket = this.descriptors.get(h);
    if (bucket) {
      for (const entry of bucket) {
        if (entry.raw.length === length && b.compare(entry.raw, 0, length, start, end) === 0) {
          this.lastDescriptor = entry;
          return entry.value;
        }
      }
    }
    if (this.descriptors.size >= CACHE_LIMIT) this.descriptors.clear();
    const raw = Buffer.from(b.subarray(start, end));
    const entry = { raw, value: this.descriptor(raw) };
    const entries = this.descriptors.get(h) ?? [];
    entries.push(entry);
    this.descriptors.set(h, entries);
    this.lastDescriptor = entry;
    return entry.value;
  }

  private descriptor(raw: Buffer): Descriptor | RejectReason {
    let text: string;
    try {
      text = strictUtf8.decode(raw);
    } catch {
      return 'invalid_utf8';
    }
    const fields = text.split('\t');
    const out: string[] = [];
    let resolutionSeconds = 0;
    // Canonical order puts each side's MapCode before its AreaCode, which is checked against it.
    let mapCode = '';
    for (let i = 0; i < this.descriptorColumns.length; i++) {
      const column = this.descriptorColumns[i] as CanonicalColumn;
      const value = (fields[this.descriptorOrder[i] as number] as string).trim();
      switch (column.kind) {
        case 'resolution':
          if (!Object.hasOwn(RESOLUTION_SECONDS, value)) return 'unknown_resolution';
          resolutionSeconds = RESOLUTION_SECONDS[value] as number;
          out.push(value);
          break;
        case 'areaType': {
          const type = normalizeAreaType(value);
          if (type === null) return 'unknown_area_type';
          out.push(type);
          break;
        }
        case 'mapCode':
          if (!MAP_CODE.test(value)) return 'invalid_map_code';
          if (!MAP_CODES.has(value)) return 'unknown_map_code';
          mapCode = value;
          out.push(value);
          break;
        case 'areaCode':
          if (!isAreaCode(value, mapCode)) return 'invalid_area_code';
          out.push(value);
          break;
        case 'productionType':
          if (!PRODUCTION_TYPES.has(value)) return 'unknown_production_type';
          out.push(value);
          break;
        default:
          // Backslash is the escape character of ClickHouse's TSV; control characters have no place in a name.
          // eslint-disable-next-line no-control-regex
          out.push(value.slice(0, MAX_LABEL_LENGTH).replace(/[\\\x00-\x1f]/g, ' '));
      }
    }
    return { bytes: Buffer.from(out.join('\t')), resolutionSeconds };
  }
}

/**
 * Whether the source columns come as the row cutting expects: interval start, the series columns (in any
 * order among themselves), the values in canonical order, UpdateTime last. All published layouts do.
 */
function inRowOrder(layout: Layout, descriptorFields: number): boolean {
  const columns = layout.dataset.columns;
  const at = (kind: CanonicalColumn['kind']) => layout.sourceIndex[columns.findIndex((c) => c.kind === kind)];
  const descriptors = columns.flatMap((c, i) =>
    c.kind === 'datetime' || c.kind === 'value' || c.kind === 'updated'
      ? []
      : [layout.sourceIndex[i] as number],
  );
  const values = columns.flatMap((c, i) => (c.kind === 'value' ? [layout.sourceIndex[i] as number] : []));
  return (
    at('datetime') === 0 &&
    Math.min(...descriptors) === 1 &&
    Math.max(...descriptors) === descriptorFields &&
    values.every((v, i) => v === 1 + descriptorFields + i) &&
    at('updated') === layout.sourceColumns - 1
  );
}

function isUtf8(bytes: Uint8Array): boolean {
  try {
    strictUtf8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

function keyToTs(key: number): string {
  const s = String(key);
  return `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)} ${s.slice(8, 10)}:${s.slice(10, 12)}:00`;
}
