/**
 * The JSON shapes of EnergyLive's HTTP API (`/api/v1/openapi.json`), from the server's own definitions,
 * so the dashboard reads exactly what the gateway writes.
 */
import type { DatasetName } from '../../../lib/config/env';
import type { Profile as ServerProfile } from '../../../lib/api/json-shapes';

export type {
  ApiTokenInfo as ApiToken,
  AreaSummary,
  Balance,
  BillingStatus,
  ColumnarSeries,
  Freshness,
  Plan,
  SeriesStats,
  Snapshot,
  StatsResult,
} from '../../../lib/api/json-shapes';
export type { DatasetName } from '../../../lib/config/env';
export type { Resolution } from '../../../lib/query/buckets';

export const DATASETS: readonly DatasetName[] = ['load', 'generation', 'flows'];

/** `/api/v1/me`: the profile, and for a browser session the token its scripts send on state changes. */
export interface Profile extends ServerProfile {
  csrfToken?: string;
}
