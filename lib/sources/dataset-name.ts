import path from 'node:path';
import type { DatasetName } from '../config/env.js';

/**
 * Official folder and file names write `ActualTotalLoad_6.1.A`, the course snapshots drop the underscore
 * (`ActualTotalLoad6.1.A`) and write AGPT's code `16.1.BC`. The look-arounds keep a longer item code
 * (`…_6.1.AB`) or a longer item name from matching.
 */
const PATTERNS: readonly (readonly [RegExp, DatasetName])[] = [
  [/(?<![a-z])ActualTotalLoad_?6\.1\.A(?![a-z0-9])/i, 'load'],
  [/(?<![a-z])AggregatedGenerationPerType_?16\.1\.B_?C(?![a-z0-9])/i, 'generation'],
  [/(?<![a-z])PhysicalFlows_?12\.1\.G(?![a-z0-9])/i, 'flows'],
];

/** An ENTSO-E item code such as `_12.1.D` in `DayAheadPrices_12.1.D`. */
const ITEM_CODE = /_?\d+\.\d+\.[a-z]/i;

function datasetOfSegment(segment: string): DatasetName | null {
  for (const [pattern, dataset] of PATTERNS) {
    if (pattern.test(segment)) return dataset;
  }
  return null;
}

/**
 * The dataset a file belongs to, from its own name first and then from its folders, innermost first:
 * official files name their dataset, but a renamed file (`new_atl.csv`) still sits in a dataset folder.
 */
export function datasetFromName(pathOrName: string): DatasetName | null {
  const segments = pathOrName.split(/[/\\]/).filter((s) => s !== '');
  for (let i = segments.length - 1; i >= 0; i--) {
    const dataset = datasetOfSegment(segments[i] ?? '');
    if (dataset) return dataset;
  }
  return null;
}

/**
 * True for the folder of another Transparency Platform item (`DayAheadPrices_12.1.D`, …). `/TP_export/`
 * holds hundreds of them; listing them all on every poll would cost minutes and feed nothing.
 */
export function isOtherItemFolder(folderName: string): boolean {
  return ITEM_CODE.test(folderName) && datasetOfSegment(folderName) === null;
}

/** Files a source offers: CSV files and ZIP archives holding one. */
export function isDataFileName(name: string): boolean {
  const ext = path.extname(name).toLowerCase();
  return ext === '.csv' || ext === '.zip';
}

export function isZipName(name: string): boolean {
  return path.extname(name).toLowerCase() === '.zip';
}
