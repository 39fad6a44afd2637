import type { Country, Link } from './catalog.js';
import { gaussian, textId, uniform } from './random.js';
import { DAY_MS, HOUR_MS, QUARTER_MS, euSummerTime, type MonthRange } from './time.js';

/**
 * The physical model behind the demo values: for one month, a table per modelled quantity (a country's
 * load, the output or pumping of one production type, the exchange over one link) with one MW value per
 * quarter-hour. Series of coarser resolution average these quarters, and BZN and CTA series weight
 * them, so every area type tells the same story.
 *
 * Random variation comes from AR(1) processes driven by counter-based noise keyed by absolute time. A
 * month's tables are computed whole, from a warm-up before the month start, so a value never depends on
 * how much of the month is being published, and processes run on smoothly from one month to the next.
 */

/** Ten days: long enough for the slowest process (φ = 0.995) to forget its zero start almost entirely. */
const WARMUP_QUARTERS = 960;
const TAU = 2 * Math.PI;
const RAD = Math.PI / 180;

/** Load relative to the day's average by local hour (values at hh:00), from typical European profiles. */
const WEEKDAY_PROFILE = [
  0.79, 0.76, 0.74, 0.73, 0.74, 0.79, 0.9, 1.02, 1.08, 1.1, 1.1, 1.09, 1.07, 1.06, 1.05, 1.05, 1.07, 1.12,
  1.17, 1.16, 1.1, 1.03, 0.94, 0.86,
];
const WEEKEND_PROFILE = [
  0.76, 0.72, 0.69, 0.67, 0.66, 0.67, 0.7, 0.75, 0.82, 0.88, 0.92, 0.93, 0.92, 0.89, 0.87, 0.86, 0.88, 0.94,
  1.0, 1.01, 0.98, 0.93, 0.87, 0.81,
];

/**
 * Pumped storage by local hour: + generating, − pumping (fraction of capacity). It pumps at night and
 * generates for the morning and evening peaks; the midday slots (NaN) pump to absorb solar, deeper where
 * solar is large.
 */
// prettier-ignore
const STORAGE_PROFILE = [
  -0.6, -0.7, -0.75, -0.75, -0.6, -0.3, 0.2, 0.6, 0.7, 0.4, 0, NaN,
  NaN, NaN, NaN, 0, 0.3, 0.7, 0.9, 0.9, 0.7, 0.4, 0, -0.3,
];

/**
 * Dispatchable types follow the residual load (load minus wind and solar); the factor is how strongly.
 * Gas and oil peakers swing most, lignite and oil shale barely.
 */
const RESIDUAL_FOLLOWING: ReadonlyMap<string, number> = new Map([
  ['Fossil Gas', 1.4],
  ['Fossil Hard coal', 0.9],
  ['Fossil Oil', 1.6],
  ['Hydro Water Reservoir', 1.2],
  ['Fossil Brown coal/Lignite', 0.35],
  ['Fossil Coal-derived gas', 0.3],
  ['Fossil Oil shale', 0.4],
  ['Fossil Peat', 0.3],
]);

/** Rough mean capacity factors, to know what residual load is "normal" for a country. */
const MEAN_FACTOR = { onshore: 0.27, offshore: 0.4, solar: 0.12 };

export class MonthSignals {
  private readonly tables = new Map<string, Float64Array>();
  private readonly quarters: number;
  /** Per quarter: 1 while EU summer time is in force. */
  private readonly summer: Uint8Array;
  private readonly yearStartMs: number;

  constructor(
    private readonly seed: number,
    private readonly range: MonthRange,
  ) {
    this.quarters = range.quarters;
    const year = new Date(range.startMs).getUTCFullYear();
    this.yearStartMs = Date.UTC(year, 0, 1);
    const { startMs, endMs } = euSummerTime(year);
    this.summer = new Uint8Array(this.quarters);
    for (let q = 0; q < this.quarters; q++) {
      const t = this.midMs(q);
      this.summer[q] = t >= startMs && t < endMs ? 1 : 0;
    }
  }

  /** Total load in MW. */
  load(country: Country): Float64Array {
    return this.memo(`load:${country.mapCode}`, () => {
      const noise = this.ar1(`load:${country.mapCode}`, 0.95);
      return this.fill((q) => {
        const { hour, weekend } = this.localTime(country, q);
        const profile = interpolateDaily(weekend ? WEEKEND_PROFILE : WEEKDAY_PROFILE, hour);
        const season = 1 + 0.08 * Math.cos((TAU * (this.dayOfYear(q) - 20)) / 365.25);
        return country.demand * profile * season * (1 + 0.015 * at(noise, q));
      });
    });
  }

  /** Net generation of one production type in MW (for pumped storage: while generating). */
  output(country: Country, productionType: string): Float64Array {
    return this.memo(`output:${country.mapCode}:${productionType}`, () => {
      const mw = country.generation.get(productionType) ?? 0;
      if (productionType === 'Solar') return this.solar(country, mw);
      if (productionType === 'Wind Onshore' || productionType === 'Wind Offshore') {
        return this.wind(country, productionType === 'Wind Offshore', mw);
      }
      if (productionType === 'Hydro Pumped Storage') return this.storage(country, mw, 1);
      const following = RESIDUAL_FOLLOWING.get(productionType);
      if (following !== undefined) return this.dispatchable(country, productionType, mw, following);
      return this.steady(country, productionType, mw);
    });
  }

  /** Power drawn by pumped storage while pumping, in MW. */
  pumping(country: Country): Float64Array {
    return this.memo(`pumping:${country.mapCode}`, () =>
      this.storage(country, country.generation.get('Hydro Pumped Storage') ?? 0, -1),
    );
  }

  /** Physical flow over a link in one direction (+1: from its first side to its second), in MW, ≥ 0. */
  flow(link: Link, direction: 1 | -1): Float64Array {
    return this.memo(`flow:${link.key}:${direction}`, () => {
      const exchange = this.exchange(link);
      // Loop flows and ramps sometimes carry a little power against the main direction.
      const counter = this.ar1(`counterflow:${link.key}:${direction}`, 0.9);
      return this.fill(
        (q) =>
          Math.max(0, direction * at(exchange, q)) + link.scale * 0.05 * Math.max(0, at(counter, q) - 1.2),
      );
    });
  }

  /** Signed exchange over a link: a direction that prevails, a daily swing and weather-driven wander. */
  private exchange(link: Link): Float64Array {
    return this.memo(`exchange:${link.key}`, () => {
      const id = textId(link.key);
      const bias = (uniform(this.seed, id, 0, 1) - 0.5) * 1.2;
      const phase = uniform(this.seed, id, 0, 2) * 24;
      const wander = this.ar1(`exchange:${link.key}`, 0.97);
      return this.fill((q) => {
        const hour = ((this.midMs(q) % DAY_MS) / HOUR_MS - phase) / 24;
        return link.scale * (bias + 0.45 * Math.sin(TAU * hour) + 0.5 * at(wander, q));
      });
    });
  }

  private solar(country: Country, capacity: number): Float64Array {
    const clouds = this.ar1(`clouds:${country.mapCode}`, 0.985);
    const sinLat = Math.sin(country.latitude * RAD);
    const cosLat = Math.cos(country.latitude * RAD);
    return this.fill((q) => {
      const declination = 23.44 * RAD * Math.sin((TAU * (284 + this.dayOfYear(q))) / 365);
      const solarHour = ((this.midMs(q) % DAY_MS) / HOUR_MS + country.longitude / 15 - 12) * 15 * RAD;
      const sinElevation =
        sinLat * Math.sin(declination) + cosLat * Math.cos(declination) * Math.cos(solarHour);
      if (sinElevation <= 0) return 0;
      const clearness = 0.3 + 0.7 * logistic(1 - 1.5 * at(clouds, q));
      return capacity * 0.8 * Math.pow(sinElevation, 1.25) * clearness;
    });
  }

  private wind(country: Country, offshore: boolean, capacity: number): Float64Array {
    const weather = this.ar1(`wind:${country.mapCode}`, 0.99);
    const own = offshore ? this.ar1(`wind-offshore:${country.mapCode}`, 0.99) : null;
    return this.fill((q) => {
      // Offshore shares most of the onshore weather; winter is windier.
      const x = own ? 0.7 * at(weather, q) + 0.71 * at(own, q) : at(weather, q);
      const season = 0.35 * Math.cos((TAU * (this.dayOfYear(q) - 15)) / 365.25);
      return capacity * 0.92 * logistic((offshore ? -0.4 : -1.1) + season + 1.5 * x);
    });
  }

  /** Generation (sign +1) or pumping (sign −1) of pumped storage. */
  private storage(country: Country, capacity: number, sign: 1 | -1): Float64Array {
    const effort = this.ar1(`storage:${country.mapCode}`, 0.95);
    const solarShare = Math.min(1, (country.generation.get('Solar') ?? 0) / country.demand);
    const midday = -0.2 - 0.5 * solarShare;
    const daily = STORAGE_PROFILE.map((p) => (Number.isNaN(p) ? midday : p));
    return this.fill((q) => {
      const profile = interpolateDaily(daily, this.localTime(country, q).hour);
      const level = sign * profile * (0.75 + 0.25 * Math.tanh(at(effort, q)));
      return level > 0 ? capacity * level * (sign === 1 ? 1 : 0.95) : 0;
    });
  }

  private dispatchable(
    country: Country,
    productionType: string,
    mw: number,
    following: number,
  ): Float64Array {
    const residual = this.residualIndex(country);
    const noise = this.ar1(`output:${country.mapCode}:${productionType}`, 0.98);
    return this.fill(
      (q) => mw * Math.max(0.03, 1 + following * (at(residual, q) - 1)) * (1 + 0.04 * at(noise, q)),
    );
  }

  /** Residual load relative to its usual level: above 1 when it is calm, dark or cold. */
  private residualIndex(country: Country): Float64Array {
    return this.memo(`residual:${country.mapCode}`, () => {
      const capacity = (type: string) => country.generation.get(type) ?? 0;
      const variable = ['Wind Onshore', 'Wind Offshore', 'Solar'].filter((t) => country.generation.has(t));
      const tables = variable.map((t) => this.output(country, t));
      const usual = Math.max(
        0.2 * country.demand,
        0.95 * country.demand -
          MEAN_FACTOR.onshore * capacity('Wind Onshore') -
          MEAN_FACTOR.offshore * capacity('Wind Offshore') -
          MEAN_FACTOR.solar * capacity('Solar'),
      );
      const load = this.load(country);
      return this.fill((q) => {
        let residual = at(load, q);
        for (const table of tables) residual -= at(table, q);
        return Math.min(2.5, Math.max(0, residual / usual));
      });
    });
  }

  /** Types that run steadily: nuclear near full output, run-of-river with the snow melt, the rest flat. */
  private steady(country: Country, productionType: string, mw: number): Float64Array {
    const noise = this.ar1(`output:${country.mapCode}:${productionType}`, 0.995);
    if (productionType === 'Nuclear') {
      return this.fill((q) => mw * Math.min(1.02, Math.max(0, 0.96 + 0.035 * at(noise, q))));
    }
    if (productionType === 'Hydro Run-of-river and poundage') {
      return this.fill(
        (q) =>
          mw *
          (1 + 0.35 * Math.sin((TAU * (this.dayOfYear(q) - 60)) / 365.25)) *
          Math.max(0, 1 + 0.06 * at(noise, q)),
      );
    }
    return this.fill((q) => mw * Math.max(0, 1 + 0.05 * at(noise, q)));
  }

  /** A unit-variance AR(1) process over the month, keyed by name and absolute time. */
  private ar1(name: string, phi: number): Float64Array {
    return this.memo(`ar1:${name}`, () => {
      const stream = textId(name);
      const first = this.range.startMs / QUARTER_MS;
      const innovation = Math.sqrt(1 - phi * phi);
      const out = new Float64Array(this.quarters);
      let x = 0;
      for (let i = -WARMUP_QUARTERS; i < this.quarters; i++) {
        x = phi * x + innovation * gaussian(this.seed, stream, first + i, 0);
        if (i >= 0) out[i] = x;
      }
      return out;
    });
  }

  private fill(value: (q: number) => number): Float64Array {
    const out = new Float64Array(this.quarters);
    for (let q = 0; q < this.quarters; q++) out[q] = value(q);
    return out;
  }

  private memo(key: string, compute: () => Float64Array): Float64Array {
    let table = this.tables.get(key);
    if (!table) {
      table = compute();
      this.tables.set(key, table);
    }
    return table;
  }

  /** Middle of the quarter: averages over an interval come out centred. */
  private midMs(q: number): number {
    return this.range.startMs + (q + 0.5) * QUARTER_MS;
  }

  private dayOfYear(q: number): number {
    return (this.midMs(q) - this.yearStartMs) / DAY_MS;
  }

  private localTime(country: Country, q: number): { hour: number; weekend: boolean } {
    const local = this.midMs(q) + (country.utcOffset + (this.summer[q] ?? 0)) * HOUR_MS;
    const weekday = (Math.floor(local / DAY_MS) + 4) % 7; // 1970-01-01 was a Thursday
    return { hour: (local % DAY_MS) / HOUR_MS, weekend: weekday === 0 || weekday === 6 };
  }
}

function at(table: Float64Array, q: number): number {
  return table[q] as number;
}

function logistic(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** Linear interpolation in a 24-value daily profile, wrapping at midnight. */
function interpolateDaily(profile: readonly number[], hour: number): number {
  const h = Math.floor(hour);
  const f = hour - h;
  return (profile[h % 24] as number) * (1 - f) + (profile[(h + 1) % 24] as number) * f;
}
