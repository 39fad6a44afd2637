import { DATASET_NAMES, type DatasetName } from '../../lib/config/env.js';
import type { ChangedRange } from '../../lib/clickhouse/month-import.js';
import type { ImportDone } from '../../lib/pipeline/messages.js';
import type { Range } from './affected-range.js';

/** Which sessions a change concerns: map codes only, as sessions are asked for by map code. */
export interface SeriesKey {
  dataset: DatasetName;
  /** Map code of the area; for flows, the area the flow leaves. */
  area: string;
  /** Flows: the area the flow enters. */
  in?: string | undefined;
  /** Generation: the production type. */
  type?: string | undefined;
}

export type SeriesChange = SeriesKey & Range;

function epoch(iso: unknown): number {
  return typeof iso === 'string' ? Date.parse(iso) / 1000 : NaN;
}

function seriesKey(dataset: DatasetName, series: Record<string, unknown>): SeriesKey | null {
  const text = (name: string) => {
    const value = series[name];
    return typeof value === 'string' ? value : undefined;
  };
  const area = text(dataset === 'flows' ? 'out_map_code' : 'map_code');
  if (area === undefined) return null;
  if (dataset === 'flows') {
    const inArea = text('in_map_code');
    return inArea === undefined ? null : { dataset, area, in: inArea };
  }
  return { dataset, area, type: dataset === 'generation' ? text('production_type') : undefined };
}

function seriesChange(dataset: DatasetName, range: unknown): SeriesChange | null {
  if (typeof range !== 'object' || range === null) return null;
  const { series, from: fromIso, to: toIso } = range as Partial<Record<keyof ChangedRange, unknown>>;
  if (typeof series !== 'object' || series === null) return null;
  const key = seriesKey(dataset, series as Record<string, unknown>);
  const from = epoch(fromIso);
  const to = epoch(toIso);
  if (!key || !Number.isFinite(from) || !Number.isFinite(to) || from >= to) return null;
  return { ...key, from, to };
}

/**
 * The changes of an "import done" message as ranges of epoch seconds. The message comes from another
 * process, so a malformed range is left out rather than trusted; a message without a known dataset or a
 * change list throws.
 */
export function seriesChanges(message: unknown): SeriesChange[] {
  const done = message as Partial<ImportDone> | null;
  const dataset = done?.dataset;
  if (!dataset || !DATASET_NAMES.includes(dataset) || !Array.isArray(done.changes)) {
    throw new Error('not an "import done" message');
  }
  return (done.changes as unknown[]).flatMap((range) => seriesChange(dataset, range) ?? []);
}
