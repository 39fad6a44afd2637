import { DATASETS, type CanonicalColumn, type DatasetSpec } from '../../lib/entsoe/datasets.js';
import type { DatasetName } from '../../lib/config/env.js';

/**
 * What a correct parser makes of an ENTSO-E file, written from the README and the format reference
 * (`shared/entsoe/README.md`) alone, slowly and plainly, line by line on strings: an independent
 * expectation for tests that feed the real parser damaged files. Columns are found by name in any order;
 * rows are checked in the order the parser checks them, so a row with one defect gets the reason of that
 * defect. A row the README refuses without naming the reason (an UpdateTime after the next month) is
 * counted as `ANY_DOCUMENTED`: refused for any reason the README lists.
 */
export const ANY_DOCUMENTED = '*';

/** Why a whole file is refused; `unreadable`: an archive that cannot be read. */
export type FileReason =
  'empty_file' | 'unrecognized_header' | 'wrong_dataset' | 'no_valid_rows' | 'unreadable';

/** A canonical row: text columns as stored, values as numbers or null, times as ClickHouse prints them. */
export type CanonicalRow = Record<string, string | number | null>;

export type ReferenceResult =
  | { kind: 'rejected'; reason: FileReason; dataset?: DatasetName }
  | { kind: 'empty'; dataset: DatasetName; month: string | null }
  | {
      kind: 'rows';
      dataset: DatasetName;
      month: string;
      rows: CanonicalRow[];
      rejected: Record<string, number>;
      spreadsheetUpdateTimes: number;
    };

/** Every MapCode in the samples and in the format reference (§5.3, §5.4), retired ones included. */
export const KNOWN_MAP_CODES: ReadonlySet<string> = new Set(
  (
    'AL AM AT AZ BA BE BG BY CH CY CZ DE DK EE ES FI FR GB GE GR HR HU IE IT LT LU LV MD ME MK MT NL NO PL ' +
    'PT RO RS RU SE SI SK TR UA XK DE_LU DE_AT_LU DE_50HzT DE_Amprion DE_TenneT_GER DE_TransnetBW DK1 DK2 ' +
    'NO1 NO2 NO3 NO4 NO5 SE1 SE2 SE3 SE4 IT-NORTH IT-CNORTH IT-CSOUTH IT-SOUTH IT-Calabria IT-Sardinia ' +
    'IT-Sicily IT-SACOAC IT-SACODC IE_SEM NIE GB_IFA GB_IFA2 UA_BEI UA_IPS UA_DobTPP RU_KGD'
  ).split(' '),
);

const MAX_LINE = 64 * 1024;
/** The parser's bound on one row; a real row is under 300 bytes. */
const MAX_ROW = 4096 - 8;
const RESOLUTIONS: Record<string, number> = { PT15M: 900, PT30M: 1800, PT60M: 3600 };
const AREA_TYPES = new Set(['CTY', 'BZN', 'CTA']);
const PRODUCTION_TYPES = new Set([
  'Biomass',
  'Energy storage',
  'Fossil Brown coal/Lignite',
  'Fossil Coal-derived gas',
  'Fossil Gas',
  'Fossil Hard coal',
  'Fossil Oil',
  'Fossil Oil shale',
  'Fossil Peat',
  'Geothermal',
  'Hydro Pumped Storage',
  'Hydro Run-of-river and poundage',
  'Hydro Water Reservoir',
  'Marine',
  'Nuclear',
  'Other',
  'Other renewable',
  'Solar',
  'Waste',
  'Wind Offshore',
  'Wind Onshore',
]);
const MAP_CODE = /^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/;
/** The README: "Russia's and Belarus's CTY rows carry `RU` and `BY`" where others carry an EIC code. */
const WITHOUT_EIC = new Set(['RU', 'BY']);
const DECIMAL = /^-?\d{1,15}(\.\d{1,9})?$/;
const DATETIME = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?$/;
const SPREADSHEET = /^(\d{2})\/(\d{2})\/(\d{4}) (\d{2}):(\d{2})$/;
const strict = new TextDecoder('utf-8', { fatal: true });

function utf8(bytes: Buffer): string | null {
  try {
    return strict.decode(bytes);
  } catch {
    return null;
  }
}

/**
 * Whether a code is an Energy Identification Code, from the EIC reference manual: 16 characters of
 * `0-9`, `A-Z` and `-`, the last one a check character. Each of the first 15 characters counts as its
 * value (digits 0–9, letters 10–35, the hyphen 36) times its weight (16 for the first, down to 2 for the
 * fifteenth); the check character is the one whose value is 36 − ((sum − 1) mod 37).
 */
function isEicCode(code: string): boolean {
  if (code.length !== 16) return false;
  const valueOf = (ch: string): number => {
    if (ch >= '0' && ch <= '9') return ch.charCodeAt(0) - 48;
    if (ch >= 'A' && ch <= 'Z') return ch.charCodeAt(0) - 55;
    return ch === '-' ? 36 : -1;
  };
  let sum = 0;
  for (let i = 0; i < 15; i++) {
    const v = valueOf(code.charAt(i));
    if (v < 0) return false;
    sum += v * (16 - i);
  }
  return valueOf(code.charAt(15)) === 36 - ((sum - 1) % 37);
}

function validDate(y: number, mo: number, d: number, h: number, mi: number): boolean {
  if (y < 2000 || y > 2100 || mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59) return false;
  return d <= new Date(Date.UTC(y, mo, 0)).getUTCDate();
}

/** `YYYY-MM` of a file from its name (`2022_01_…`), as the README's file names carry it. */
export function monthOfName(name: string): string | null {
  const m = /(?:^|\/)(\d{4})_(\d{2})_/.exec(name);
  if (!m) return null;
  return Number(m[2]) >= 1 && Number(m[2]) <= 12 ? `${m[1]}-${m[2]}` : null;
}

function lines(bytes: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let start = 0;
  for (let i = 0; i <= bytes.length; i++) {
    if (i === bytes.length || bytes[i] === 0x0a) {
      const end = i > start && bytes[i - 1] === 0x0d ? i - 1 : i;
      if (i < bytes.length || start < bytes.length) out.push(bytes.subarray(start, end));
      start = i + 1;
    }
  }
  return out;
}

interface Layout {
  spec: DatasetSpec;
  /** For each canonical column, its position in the file. */
  position: Map<string, number>;
  columns: number;
}

function detect(header: string): Layout | null {
  const names = header.split('\t').map((n) => n.trim());
  for (const spec of Object.values(DATASETS)) {
    for (const expected of [spec.legacyHeader, spec.r3Header]) {
      if (names.length !== expected.length || !expected.every((n) => names.includes(n))) continue;
      const legacy = expected === spec.legacyHeader;
      const position = new Map(spec.columns.map((c) => [c.name, names.indexOf(legacy ? c.legacy : c.r3)]));
      return { spec, position, columns: names.length };
    }
  }
  return null;
}

/** The month after `now`'s: the latest month a file may hold data for. */
function latestMonth(now: Date): number {
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth() + 2;
  return m > 12 ? (y + 1) * 100 + (m - 12) : y * 100 + m;
}

type Checked = { row: CanonicalRow; monthKey: number; spreadsheet: boolean } | { reason: string };

function checkRow(layout: Layout, fields: Buffer[], now: Date): Checked {
  const { spec, position } = layout;
  const field = (c: CanonicalColumn) => fields[position.get(c.name) ?? -1] ?? Buffer.alloc(0);
  const row: CanonicalRow = {};
  const values = spec.columns.filter((c) => c.kind === 'value');
  let present = 0;
  for (const c of values) {
    const text = field(c).toString('latin1');
    if (text === '') {
      row[c.name] = null;
      continue;
    }
    if (!DECIMAL.test(text)) return { reason: 'invalid_number' };
    // README: no value may be negative, in any value column ("-0.0" is zero).
    if (Number(text) < 0) return { reason: 'negative_value' };
    row[c.name] = Number(text);
    present++;
  }
  if (present === 0 && values.length > 1) return { reason: 'no_value' };
  let resolution = 0;
  const descriptors = spec.columns.filter(
    (c) => c.kind !== 'datetime' && c.kind !== 'value' && c.kind !== 'updated',
  );
  const decoded = new Map<string, string>();
  for (const c of descriptors) {
    const text = utf8(field(c));
    if (text === null) return { reason: 'invalid_utf8' };
    decoded.set(c.name, text.trim());
  }
  for (const c of descriptors) {
    const v = decoded.get(c.name) ?? '';
    switch (c.kind) {
      case 'resolution':
        if (!Object.hasOwn(RESOLUTIONS, v)) return { reason: 'unknown_resolution' };
        resolution = RESOLUTIONS[v] ?? 0;
        row[c.name] = v;
        break;
      case 'areaType': {
        const tokens = v.split('/');
        if (!tokens.every((t) => AREA_TYPES.has(t))) return { reason: 'unknown_area_type' };
        row[c.name] = [...new Set(tokens)].sort().join('/');
        break;
      }
      case 'mapCode':
        if (!MAP_CODE.test(v)) return { reason: 'invalid_map_code' };
        if (!KNOWN_MAP_CODES.has(v)) return { reason: 'unknown_map_code' };
        row[c.name] = v;
        break;
      case 'areaCode': {
        // The AreaCode of a side goes with the MapCode of the same side (`out_area_code`, `out_map_code`).
        const mapCode = decoded.get(c.name.replace(/area_code$/, 'map_code')) ?? '';
        if (!isEicCode(v) && !(v === mapCode && WITHOUT_EIC.has(v))) return { reason: 'invalid_area_code' };
        row[c.name] = v;
        break;
      }
      case 'productionType':
        if (!PRODUCTION_TYPES.has(v)) return { reason: 'unknown_production_type' };
        row[c.name] = v;
        break;
      default:
        // eslint-disable-next-line no-control-regex
        row[c.name] = v.slice(0, 200).replace(/[\\\x00-\x1f]/g, ' ');
    }
  }
  const tsField = field(spec.columns[0] as CanonicalColumn).toString('latin1');
  const ts = DATETIME.exec(tsField);
  if (!ts || !validDate(+ts[1]!, +ts[2]!, +ts[3]!, +ts[4]!, +ts[5]!)) return { reason: 'invalid_datetime' };
  if ((ts[7] !== undefined && !/^0+$/.test(ts[7])) || ts[6] !== '00' || (+ts[5]! * 60) % resolution !== 0)
    return { reason: 'misaligned_datetime' };
  const monthKey = +ts[1]! * 100 + +ts[2]!;
  if (monthKey > latestMonth(now)) return { reason: 'future_month' };
  row.ts = tsField.slice(0, 19);
  const updatedColumn = spec.columns.find((c) => c.kind === 'updated') as CanonicalColumn;
  const updatedText = field(updatedColumn).toString('latin1');
  const u = DATETIME.exec(updatedText);
  const s = SPREADSHEET.exec(updatedText);
  let spreadsheet = false;
  let updated: string;
  if (u && (u[7] === undefined || u[7].length <= 9)) {
    if (!validDate(+u[1]!, +u[2]!, +u[3]!, +u[4]!, +u[5]!) || +u[6]! > 59)
      return { reason: 'invalid_update_time' };
    updated = `${updatedText.slice(0, 19)}.${(u[7] ?? '').slice(0, 3).padEnd(3, '0')}`;
  } else if (s && validDate(+s[3]!, +s[2]!, +s[1]!, +s[4]!, +s[5]!)) {
    updated = `${s[3]}-${s[2]}-${s[1]} ${s[4]}:${s[5]}:00.000`;
    spreadsheet = true;
  } else return { reason: 'invalid_update_time' };
  row.updated = updated;
  // README: "Rows of a month after the next one (and UpdateTimes after it) are refused".
  if (+updated.slice(0, 4) * 100 + +updated.slice(5, 7) > latestMonth(now)) return { reason: ANY_DOCUMENTED };
  return { row, monthKey, spreadsheet };
}

/** The README's reading of `bytes`, as a file called `name` from a source folder of `expectDataset`. */
export function referenceParse(
  bytes: Buffer,
  name: string,
  options: { expectDataset?: DatasetName; now?: Date } = {},
): ReferenceResult {
  const now = options.now ?? new Date();
  if (bytes.length === 0) return { kind: 'rejected', reason: 'empty_file' };
  const body = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
  const all = lines(body);
  const headerLine = all[0];
  if (headerLine === undefined || headerLine.length > MAX_LINE)
    return { kind: 'rejected', reason: 'unrecognized_header' };
  const layout = detect(headerLine.toString('utf8'));
  if (!layout) return { kind: 'rejected', reason: 'unrecognized_header' };
  const dataset = layout.spec.name;
  if (options.expectDataset && options.expectDataset !== dataset)
    return { kind: 'rejected', reason: 'wrong_dataset', dataset };
  const nameMonth = monthOfName(name);
  let monthKey = nameMonth ? Number(nameMonth.replace('-', '')) : -1;
  const rejected: Record<string, number> = {};
  const rows: CanonicalRow[] = [];
  let spreadsheetUpdateTimes = 0;
  const reject = (reason: string, line: Buffer) => {
    const counted = reason !== 'invalid_utf8' && utf8(line) === null ? 'invalid_utf8' : reason;
    rejected[counted] = (rejected[counted] ?? 0) + 1;
  };
  for (const line of all.slice(1)) {
    if (line.length === 0) continue;
    if (line.length > MAX_ROW) {
      rejected.line_too_long = (rejected.line_too_long ?? 0) + 1;
      continue;
    }
    const fields: Buffer[] = [];
    let start = 0;
    for (let i = 0; i <= line.length; i++) {
      if (i === line.length || line[i] === 0x09) {
        fields.push(line.subarray(start, i));
        start = i + 1;
      }
    }
    if (fields.length !== layout.columns) {
      reject('wrong_column_count', line);
      continue;
    }
    const checked = checkRow(layout, fields, now);
    if ('reason' in checked) {
      reject(checked.reason, line);
      continue;
    }
    if (monthKey < 0) monthKey = checked.monthKey;
    else if (checked.monthKey !== monthKey) {
      reject('outside_month', line);
      continue;
    }
    if (checked.spreadsheet) spreadsheetUpdateTimes++;
    rows.push(checked.row);
  }
  const total = Object.values(rejected).reduce((a, b) => a + b, 0);
  if (rows.length === 0 && total > 0) return { kind: 'rejected', reason: 'no_valid_rows', dataset };
  if (rows.length === 0) return { kind: 'empty', dataset, month: nameMonth };
  const month = `${Math.floor(monthKey / 100)}-${String(monthKey % 100).padStart(2, '0')}`;
  return { kind: 'rows', dataset, month, rows, rejected, spreadsheetUpdateTimes };
}

/** The natural key of a canonical row: interval start and the series columns. */
export function rowKey(dataset: DatasetName, row: CanonicalRow): string {
  return JSON.stringify([row.ts, ...DATASETS[dataset].seriesKey.map((c) => row[c])]);
}

/**
 * A stored month as it must be after importing `file` into `stored` (README, "Atomic months"): per key
 * the row with the newest UpdateTime wins, the file's on a tie. Where the file holds one key twice with
 * the same newest UpdateTime and different values, either may be kept: the answer lists both.
 */
export function mergedMonth(
  dataset: DatasetName,
  stored: ReadonlyMap<string, CanonicalRow[]>,
  file: readonly CanonicalRow[],
): Map<string, CanonicalRow[]> {
  const newest = new Map<string, CanonicalRow[]>();
  for (const row of file) {
    const key = rowKey(dataset, row);
    const have = newest.get(key);
    const updated = String(row.updated);
    if (!have || updated > String(have[0]?.updated)) newest.set(key, [row]);
    else if (
      updated === String(have[0]?.updated) &&
      !have.some((r) => JSON.stringify(r) === JSON.stringify(row))
    )
      have.push(row);
  }
  const out = new Map(stored);
  for (const [key, candidates] of newest) {
    const old = stored.get(key);
    const oldUpdated = old?.[0]?.updated;
    if (oldUpdated === undefined || String(candidates[0]?.updated) >= String(oldUpdated))
      out.set(key, candidates);
  }
  return out;
}
