import type { DatasetName } from '../config/env.js';
import type { Resolution } from '../query/buckets.js';

/**
 * The JSON shapes of EnergyLive's HTTP API, in one place for the server that writes them and the
 * dashboard that reads them, so the two cannot drift apart. Types only: nothing here runs.
 */

/** Columnar, so a chart can take it as it comes; `null` where an interval has no value. */
export interface ColumnarSeries {
  dataset: DatasetName;
  area: string;
  in?: string;
  resolution: Resolution;
  unit: 'MW';
  /** Interval (or bucket) starts, epoch seconds. */
  t: number[];
  series: { name: string; values: (number | null)[] }[];
}

/** An area with data in a dataset, as pickers and freshness displays need it. */
export interface AreaSummary {
  area: string;
  name: string;
  areaTypes: string[];
  resolutions: string[];
  /** Epoch seconds: first and last interval start, last UpdateTime. */
  first: number;
  last: number;
  updated: number;
}

/** How current a dataset is: its last import, and per area the newest interval and the newest update. */
export interface Freshness {
  dataset: DatasetName;
  lastImport: { month: string; importedAt: string; changedPoints: number } | null;
  areas: { area: string; last: number; updated: number }[];
}

/** Statistics of one series over a range. Means, percentiles and energy weigh each value by its interval. */
export interface SeriesStats {
  name: string;
  count: number;
  min: { value: number; t: number } | null;
  max: { value: number; t: number } | null;
  /** Time-weighted mean power, MW. */
  mean: number | null;
  p5: number | null;
  p50: number | null;
  p95: number | null;
  energyMWh: number;
  /** Time-weighted mean power by hour of day (UTC), 24 entries, `null` for an hour without data. */
  profile: (number | null)[];
}

export interface Balance {
  importMWh: number;
  exportMWh: number;
  /** Imports minus exports: positive when the area imports on balance. */
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
  /** Generation: each production type's share of the energy generated over the range. */
  shares?: Record<string, number>;
  /** Flows: the area's imports and exports over all its borders. */
  balance?: Balance;
}

/**
 * Each country as it is now, for a map of Europe: its latest load, the renewable share of its latest
 * generation, its net import over all borders, and the flow over each border. "Now" is each country's
 * newest interval within the last two days of the dataset: ENTSO-E publishes countries at different
 * delays, and a country silent for two days is shown without a value rather than with a stale one.
 */
export interface Snapshot {
  /** Newest interval start (epoch seconds) among the values below, per measure. */
  at: { load: number | null; generation: number | null; flows: number | null };
  load: Record<string, number>;
  /** 0..1 */
  renewableShare: Record<string, number>;
  /** MW; negative when the country exports on balance. */
  netImport: Record<string, number>;
  /** Net flow over each border at its newest interval, from `out` into `in` (mw ≥ 0). */
  flows: { out: string; in: string; mw: number }[];
}

export interface Plan {
  /** Stripe's subscription status, `complimentary` for access granted by an operator, or `none`. */
  status: string;
  /** Whether the data API is open to this user now. */
  entitled: boolean;
  /** End of the paid (or trial, or granted) period, ISO; null when there is none. */
  paidUntil: string | null;
  daysLeft: number;
  cancelAtPeriodEnd: boolean;
  /** An operator's grant, when one is running. */
  complimentaryUntil: string | null;
}

export interface ApiTokenInfo {
  id: string;
  name: string;
  /** The first characters, so a user can tell their tokens apart without the secret. */
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
}

export interface Profile {
  id: string;
  email: string;
  signIn: string[];
  plan: Plan;
}

export interface BillingStatus {
  /** False when this installation has no Stripe keys: nobody can subscribe. */
  available: boolean;
  trialDays: number;
  priceId?: string;
}
