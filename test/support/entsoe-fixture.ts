import { DATASETS, type CanonicalColumn } from '../../lib/entsoe/datasets.js';
import type { LayoutName } from '../../lib/entsoe/layout.js';
import type { DatasetName } from '../../lib/config/env.js';

/** A row by canonical column name; `ts` and `updated` as `YYYY-MM-DD HH:MM:SS`, '' for no value. */
export type FixtureRow = Record<string, string>;

function sourceValue(column: CanonicalColumn, row: FixtureRow, layout: LayoutName): string {
  const value = row[column.name] ?? '';
  if (column.kind === 'datetime' && layout !== 'r3' && value !== '') return `${value}.000`;
  return value;
}

/** Writes rows in one of the ENTSO-E layouts: official (BOM, CRLF), course snapshot (LF) or r3. */
export function entsoeFile(dataset: DatasetName, layout: LayoutName, rows: FixtureRow[]): Buffer {
  const spec = DATASETS[dataset];
  const header = layout === 'r3' ? spec.r3Header : spec.legacyHeader;
  const byHeader = new Map(spec.columns.map((c) => [layout === 'r3' ? c.r3 : c.legacy, c]));
  const eol = layout === 'official' ? '\r\n' : '\n';
  const lines = [header.join('\t')];
  for (const row of rows) {
    lines.push(header.map((h) => sourceValue(byHeader.get(h) as CanonicalColumn, row, layout)).join('\t'));
  }
  const text = lines.join(eol) + eol;
  return layout === 'official'
    ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)])
    : Buffer.from(text);
}

/** Real EIC codes (from the sample files): the parser refuses codes it does not know. */
const AREAS: Record<string, { code: string; name: string }> = {
  DE: { code: '10Y1001A1001A83F', name: 'DE CTY' },
  FR: { code: '10YFR-RTE------C', name: 'FR CTY' },
  AT: { code: '10YAT-APG------L', name: 'AT CTY' },
  DE_LU: { code: '10Y1001A1001A82H', name: 'DE-LU BZN' },
  BE: { code: '10YBE----------2', name: 'BE CTY' },
  BG: { code: '10YCA-BULGARIA-R', name: 'BG CTY' },
  CH: { code: '10YCH-SWISSGRIDZ', name: 'CH CTY' },
  CZ: { code: '10YCZ-CEPS-----N', name: 'CZ CTY' },
  DK: { code: '10Y1001A1001A65H', name: 'DK CTY' },
  EE: { code: '10Y1001A1001A39I', name: 'EE CTY' },
  ES: { code: '10YES-REE------0', name: 'ES CTY' },
  FI: { code: '10YFI-1--------U', name: 'FI CTY' },
  GR: { code: '10YGR-HTSO-----Y', name: 'GR CTY' },
  HR: { code: '10YHR-HEP------M', name: 'HR CTY' },
  HU: { code: '10YHU-MAVIR----U', name: 'HU CTY' },
  IE: { code: '10YIE-1001A00010', name: 'IE CTY' },
  IT: { code: '10YIT-GRTN-----B', name: 'IT CTY' },
  'IT-NORTH': { code: '10Y1001A1001A73I', name: 'IT-North BZN' },
  LT: { code: '10YLT-1001A0008Q', name: 'LT CTY' },
  LU: { code: '10YLU-CEGEDEL-NQ', name: 'LU CTY' },
  LV: { code: '10YLV-1001A00074', name: 'LV CTY' },
  NL: { code: '10YNL----------L', name: 'NL CTY' },
  NO: { code: '10YNO-0--------C', name: 'NO CTY' },
  PL: { code: '10YPL-AREA-----S', name: 'PL CTY' },
  PT: { code: '10YPT-REN------W', name: 'PT CTY' },
  RO: { code: '10YRO-TEL------P', name: 'RO CTY' },
  RS: { code: '10YCS-SERBIATSOV', name: 'RS CTY' },
  SE: { code: '10YSE-1--------K', name: 'SE CTY' },
  SI: { code: '10YSI-ELES-----O', name: 'SI CTY' },
  SK: { code: '10YSK-SEPS-----K', name: 'SK CTY' },
};

/** The MapCodes the fixture has real EIC codes for, e.g. for tests that need many areas. */
export const FIXTURE_AREAS: readonly string[] = Object.keys(AREAS).filter(
  (a) => !a.includes('_') && !a.includes('-'),
);

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

export function isoMinute(epochMs: number): string {
  const d = new Date(epochMs);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:00`;
}

export interface SeriesOptions {
  dataset: DatasetName;
  area?: string;
  areaType?: string;
  productionType?: string;
  inArea?: string;
  resolution?: 'PT15M' | 'PT30M' | 'PT60M';
  /** First interval start, `YYYY-MM-DD HH:MM`. */
  from: string;
  intervals: number;
  /** Value of interval i; two decimals are written. */
  value?: (i: number) => number;
  updated?: string;
}

/** Rows of one series with deterministic values, for tests that need realistic-looking data. */
export function seriesRows(o: SeriesOptions): FixtureRow[] {
  const area = o.area ?? 'DE';
  const areaType = o.areaType ?? 'CTY';
  const resolution = o.resolution ?? 'PT15M';
  const step = { PT15M: 15, PT30M: 30, PT60M: 60 }[resolution] * 60_000;
  const start = Date.parse(`${o.from.replace(' ', 'T')}:00Z`);
  const value = o.value ?? ((i: number) => 1000 + ((i * 37) % 500) + i / 100);
  const rows: FixtureRow[] = [];
  for (let i = 0; i < o.intervals; i++) {
    const ts = isoMinute(start + i * step);
    const base: FixtureRow = {
      ts,
      resolution,
      updated: o.updated ?? isoMinute(start + (i + 1) * step + 120_000),
    };
    const v = value(i).toFixed(2);
    if (o.dataset === 'flows') {
      const inArea = o.inArea ?? 'FR';
      Object.assign(base, {
        out_area_type: areaType,
        out_map_code: area,
        out_area_code: AREAS[area]?.code ?? '10YXX----------X',
        out_area_name: AREAS[area]?.name ?? `${area} ${areaType}`,
        in_area_type: areaType,
        in_map_code: inArea,
        in_area_code: AREAS[inArea]?.code ?? '10YYY----------Y',
        in_area_name: AREAS[inArea]?.name ?? `${inArea} ${areaType}`,
        value: v,
      });
    } else {
      Object.assign(base, {
        area_type: areaType,
        map_code: area,
        area_code: AREAS[area]?.code ?? '10YXX----------X',
        area_name: AREAS[area]?.name ?? `${area} ${areaType}`,
        value: v,
      });
      if (o.dataset === 'generation')
        Object.assign(base, { production_type: o.productionType ?? 'Solar', consumption: '' });
    }
    rows.push(base);
  }
  return rows;
}

/**
 * A day of generation in January 2022 in two series at two resolutions: DE Solar every 15 minutes (96
 * intervals) and FR Nuclear hourly (24).
 */
export function solarAndNuclearDay(): { de: FixtureRow[]; fr: FixtureRow[] } {
  const day = { dataset: 'generation', from: '2022-01-01 00:00' } as const;
  return {
    de: seriesRows({ ...day, area: 'DE', productionType: 'Solar', intervals: 96 }),
    fr: seriesRows({ ...day, area: 'FR', productionType: 'Nuclear', resolution: 'PT60M', intervals: 24 }),
  };
}
