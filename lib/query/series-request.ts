import { DATASET_NAMES, type DatasetName } from '../config/env.js';
import { MAP_CODE, PRODUCTION_TYPES } from '../entsoe/codes.js';
import { BadRequest, isoToEpoch } from './bad-request.js';
import { RESOLUTIONS, type Resolution } from './buckets.js';
import { checkGridStart, checkSpan } from './storable-span.js';
import type { ColumnarSeries } from '../api/json-shapes.js';
export type { ColumnarSeries };

/** One series (or, for generation without a type, every type of an area) over a half-open range. */
export interface SeriesRequest {
  dataset: DatasetName;
  /** MapCode of the area; for flows, the area the flow leaves. */
  area: string;
  /** Generation: one production type; absent means every type of the area. */
  type?: string | undefined;
  /** Flows: the area the flow enters; absent means every border of `area`, both directions. */
  in?: string | undefined;
  /** Epoch seconds, UTC: [from, to). */
  from: number;
  to: number;
  resolution: Resolution;
}

/** A year of quarter-hours with a margin: the longest range served at native resolution in one answer. */
export const MAX_NATIVE_SPAN_SECONDS = 400 * 86400;

export function parseDataset(value: unknown): DatasetName {
  if (typeof value !== 'string' || !(DATASET_NAMES as readonly string[]).includes(value)) {
    throw new BadRequest('dataset', `expected one of ${DATASET_NAMES.join(', ')}`);
  }
  return value as DatasetName;
}

export function parseMapCode(parameter: string, value: unknown): string {
  if (typeof value !== 'string' || !MAP_CODE.test(value)) {
    throw new BadRequest(parameter, 'expected an ENTSO-E MapCode such as DE, DE_LU or IT-NORTH');
  }
  return value;
}

/**
 * Checks the parameters of a series request as they come from a URL or an action call. For flows the
 * source area is `out` (or `area`), the destination `in`; without `in`, every border of the area in
 * both directions, one series each.
 */
export function parseSeriesRequest(
  params: Record<string, unknown>,
  fixedDataset?: DatasetName,
): SeriesRequest {
  const d = fixedDataset ?? parseDataset(params.dataset);
  const area =
    d === 'flows'
      ? parseMapCode(params.out !== undefined ? 'out' : 'area', params.out ?? params.area)
      : parseMapCode('area', params.area);
  const type = params.type;
  if (type !== undefined) {
    if (d !== 'generation') throw new BadRequest('type', 'only generation has production types');
    if (typeof type !== 'string' || !PRODUCTION_TYPES.has(type))
      throw new BadRequest('type', 'unknown production type');
  }
  const inArea = d === 'flows' && params.in !== undefined ? parseMapCode('in', params.in) : undefined;
  if (d !== 'flows' && params.in !== undefined) throw new BadRequest('in', 'only flows have an "in" area');
  const from = isoToEpoch('from', params.from);
  const to = isoToEpoch('to', params.to);
  checkSpan(from, to);
  if (to <= from) throw new BadRequest('to', 'must be after from');
  const resolution = params.resolution ?? 'native';
  if (typeof resolution !== 'string' || !(RESOLUTIONS as readonly string[]).includes(resolution)) {
    throw new BadRequest('resolution', `expected one of ${RESOLUTIONS.join(', ')}`);
  }
  if ((resolution === 'native' || resolution.startsWith('PT')) && to - from > MAX_NATIVE_SPAN_SECONDS) {
    throw new BadRequest('resolution', `a range over 400 days needs a resolution of P1D or coarser`);
  }
  const r = resolution as Resolution;
  if (r !== 'native') checkGridStart(from, r);
  return { dataset: d, area, type, in: inArea, from, to, resolution: r };
}

/**
 * Statistics aggregate, so any span is allowed and the resolution does not apply; for flows `in` is
 * optional: without it every direction leaving the area is described.
 */
export function parseStatsRequest(params: Record<string, unknown>): SeriesRequest {
  if (params.resolution !== undefined)
    throw new BadRequest('resolution', 'statistics are computed from the stored intervals');
  return parseSeriesRequest({ ...params, resolution: 'P1M' });
}
