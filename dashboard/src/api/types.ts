/** The JSON shapes of EnergyLive's HTTP API (`/api/v1/openapi.json`), as the dashboard reads them. */

export type DatasetName = 'load' | 'generation' | 'flows';
export const DATASETS: readonly DatasetName[] = ['load', 'generation', 'flows'];

export type Resolution = 'native' | 'PT15M' | 'PT30M' | 'PT60M' | 'P1D' | 'P1W' | 'P1M';

/** Columnar: `t` are interval (or bucket) starts in epoch seconds, `null` where an interval has no value. */
export interface ColumnarSeries {
  dataset: DatasetName;
  area: string;
  in?: string;
  resolution: Resolution;
  unit: 'MW';
  t: number[];
  series: { name: string; values: (number | null)[] }[];
}

export interface AreaSummary {
  area: string;
  name: string;
  areaTypes: string[];
  resolutions: string[];
  /** Epoch seconds: first and last interval start, last update. */
  first: number;
  last: number;
  updated: number;
}

export interface Freshness {
  dataset: DatasetName;
  lastImport: { month: string; importedAt: string; changedPoints: number } | null;
  areas: { area: string; last: number; updated: number }[];
}

export interface SeriesStats {
  name: string;
  count: number;
  min: { value: number; t: number } | null;
  max: { value: number; t: number } | null;
  mean: number | null;
  p5: number | null;
  p50: number | null;
  p95: number | null;
  energyMWh: number;
  /** Mean power by hour of day (UTC), 24 entries. */
  profile: (number | null)[];
}

export interface Balance {
  importMWh: number;
  exportMWh: number;
  netImportMWh: number;
  borders: { partner: string; importMWh: number; exportMWh: number }[];
}

export interface StatsResult {
  dataset: string;
  area: string;
  in?: string;
  from: number;
  to: number;
  series: SeriesStats[];
  shares?: Record<string, number>;
  balance?: Balance;
}

export interface Plan {
  status: string;
  entitled: boolean;
  paidUntil: string | null;
  daysLeft: number;
  cancelAtPeriodEnd: boolean;
  complimentaryUntil: string | null;
}

export interface Profile {
  id: string;
  email: string;
  signIn: string[];
  plan: Plan;
  csrfToken?: string;
}

export interface ApiToken {
  id: string;
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
}

export interface BillingStatus {
  available: boolean;
  trialDays: number;
  priceId?: string;
}
