import { DATASETS, type DatasetName, type Resolution } from '../../api/types';
import type { MapMeasure } from '../map/measures';

/**
 * Everything that decides what the dashboard shows, kept in the URL so a view can be bookmarked,
 * shared and restored by reload. Anything missing or invalid in a URL falls back to the default.
 */
export type RangePreset = '24h' | '7d' | '30d' | '1y' | 'all';
export const RANGE_PRESETS: readonly RangePreset[] = ['24h', '7d', '30d', '1y', 'all'];

export type ResolutionChoice = 'auto' | 'native' | 'PT60M' | 'P1D' | 'P1W' | 'P1M';
export const RESOLUTION_CHOICES: readonly ResolutionChoice[] = [
  'auto',
  'native',
  'PT60M',
  'P1D',
  'P1W',
  'P1M',
];

export const MAP_MEASURES: readonly MapMeasure[] = ['load', 'renewableShare', 'netImport'];

export type TimeZoneChoice = 'utc' | 'local';

export interface ViewState {
  dataset: DatasetName;
  area: string;
  /** Further areas drawn on the same chart (load and flows): at most three, four areas in all. */
  compare: string[];
  /** Generation: one production type, or all of them stacked. */
  type: string | null;
  /** Flows: one neighbour, or every neighbour and the net balance. */
  partner: string | null;
  range: { preset: RangePreset } | { from: number; to: number };
  resolution: ResolutionChoice;
  tz: TimeZoneChoice;
  measure: MapMeasure;
}

export const MAX_COMPARED = 3;

export const DEFAULT_VIEW: ViewState = {
  dataset: 'load',
  area: 'DE',
  compare: [],
  type: null,
  partner: null,
  range: { preset: '7d' },
  resolution: 'auto',
  tz: 'utc',
  measure: 'load',
};

const MAP_CODE = /^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/;

function oneOf<T extends string>(value: string | null, allowed: readonly T[], fallback: T): T {
  return value !== null && (allowed as readonly string[]).includes(value) ? (value as T) : fallback;
}

function isoSeconds(value: string | null): number | null {
  if (!value) return null;
  const ms = Date.parse(/^\d{4}-\d\d-\d\d$/.test(value) ? `${value}T00:00:00Z` : value);
  return Number.isFinite(ms) ? Math.floor(ms / 1000) : null;
}

export function parseView(search: string): ViewState {
  const q = new URLSearchParams(search);
  const requested = q.get('area');
  const area = requested && MAP_CODE.test(requested) ? requested : DEFAULT_VIEW.area;
  const from = isoSeconds(q.get('from'));
  const to = isoSeconds(q.get('to'));
  const compare = [...new Set((q.get('compare') ?? '').split(','))]
    .filter((c) => MAP_CODE.test(c) && c !== area)
    .slice(0, MAX_COMPARED);
  return {
    dataset: oneOf(q.get('dataset'), DATASETS, DEFAULT_VIEW.dataset),
    area,
    compare,
    type: q.get('type') || null,
    partner: MAP_CODE.test(q.get('partner') ?? '') ? q.get('partner') : null,
    range:
      from !== null && to !== null && to > from
        ? { from, to }
        : { preset: oneOf(q.get('range'), RANGE_PRESETS, '7d') },
    resolution: oneOf(q.get('resolution'), RESOLUTION_CHOICES, DEFAULT_VIEW.resolution),
    tz: oneOf(q.get('tz'), ['utc', 'local'] as const, DEFAULT_VIEW.tz),
    measure: oneOf(q.get('measure'), MAP_MEASURES, DEFAULT_VIEW.measure),
  };
}

const iso = (seconds: number) => new Date(seconds * 1000).toISOString().replace(':00.000Z', 'Z');

/** The query string of a view, with only what differs from the default, in a stable order. */
export function serializeView(view: ViewState): string {
  const q = new URLSearchParams();
  if (view.dataset !== DEFAULT_VIEW.dataset) q.set('dataset', view.dataset);
  if (view.area !== DEFAULT_VIEW.area) q.set('area', view.area);
  if (view.compare.length > 0) q.set('compare', view.compare.join(','));
  if (view.type) q.set('type', view.type);
  if (view.partner) q.set('partner', view.partner);
  if ('preset' in view.range) {
    if (view.range.preset !== '7d') q.set('range', view.range.preset);
  } else {
    q.set('from', iso(view.range.from));
    q.set('to', iso(view.range.to));
  }
  if (view.resolution !== DEFAULT_VIEW.resolution) q.set('resolution', view.resolution);
  if (view.tz !== DEFAULT_VIEW.tz) q.set('tz', view.tz);
  if (view.measure !== DEFAULT_VIEW.measure) q.set('measure', view.measure);
  return q.toString();
}

const HOUR = 3600;
const DAY = 86400;
const PRESET_SECONDS: Record<Exclude<RangePreset, 'all'>, number> = {
  '24h': DAY,
  '7d': 7 * DAY,
  '30d': 30 * DAY,
  '1y': 365 * DAY,
};

/**
 * The half-open range [from, to) a view asks for, in epoch seconds. Presets end at the newest data of
 * the area (ENTSO-E publishes with a delay, so "the last 24 hours" of the clock would often be empty),
 * rounded up to the next whole hour; "all" covers everything stored for the area.
 */
export function resolveRange(
  range: ViewState['range'],
  coverage: { first: number; last: number } | undefined,
  now: number,
): { from: number; to: number } {
  if (!('preset' in range)) return range;
  const end = Math.ceil(((coverage?.last ?? now) + 1) / HOUR) * HOUR;
  if (range.preset === 'all') {
    const start = Math.floor((coverage?.first ?? end - 365 * DAY) / DAY) * DAY;
    return { from: start, to: Math.max(end, start + DAY) };
  }
  return { from: end - PRESET_SECONDS[range.preset], to: end };
}

/** Native and sub-daily answers are limited to 400 days per request by the API. */
const MAX_FINE_SPAN = 400 * DAY;

/**
 * The resolution to ask for: the chosen one where the API allows it, otherwise (and for "auto") the
 * finest that keeps a chart readable: native up to ten days, hourly up to 400 days, daily up to five
 * years, weekly beyond.
 */
export function effectiveResolution(choice: ResolutionChoice, from: number, to: number): Resolution {
  const span = to - from;
  if (choice !== 'auto') {
    if ((choice === 'native' || choice === 'PT60M') && span > MAX_FINE_SPAN) return 'P1D';
    return choice;
  }
  if (span <= 10 * DAY) return 'native';
  if (span <= MAX_FINE_SPAN) return 'PT60M';
  if (span <= 5 * 365 * DAY) return 'P1D';
  return 'P1W';
}
