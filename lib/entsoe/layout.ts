import { DATASETS, type DatasetSpec } from './datasets.js';

/**
 * - `official`: legacy (r2) monthly file as ENTSO-E publishes it: UTF-8 BOM, CRLF.
 * - `snapshot`: legacy header without a BOM, as the course's hourly snapshots.
 * - `r3`: the File Library layout with renamed and reordered columns.
 */
export type LayoutName = 'official' | 'snapshot' | 'r3';

export interface Layout {
  dataset: DatasetSpec;
  name: LayoutName;
  /** For each canonical column, the index of the source column it is read from. */
  sourceIndex: readonly number[];
  sourceColumns: number;
}

/** Finds the dataset and layout from the header line (BOM and line terminator already removed). */
export function detectLayout(header: string, hadBom: boolean): Layout | null {
  const names = header.split('\t').map((n) => n.trim());
  for (const dataset of Object.values(DATASETS)) {
    for (const variant of ['legacy', 'r3'] as const) {
      const expected = variant === 'legacy' ? dataset.legacyHeader : dataset.r3Header;
      if (names.length !== expected.length || !expected.every((n) => names.includes(n))) continue;
      // Map by name, never by position: r3 moved AreaDisplayName before AreaTypeCode.
      const sourceIndex = dataset.columns.map((c) => names.indexOf(variant === 'legacy' ? c.legacy : c.r3));
      return {
        dataset,
        name: variant === 'r3' ? 'r3' : hadBom ? 'official' : 'snapshot',
        sourceIndex,
        sourceColumns: names.length,
      };
    }
  }
  return null;
}
