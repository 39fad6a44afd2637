/** How power (MW) and energy (MWh) read on axes, legends and in the statistics. */

const GROUPED = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 });
const GROUPED_1 = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 1 });

/** Three significant digits are what a reader takes in at a glance; more only looks precise. */
function significant(value: number): string {
  const abs = Math.abs(value);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : 2;
  return Number(value.toFixed(digits)).toLocaleString('en-GB', { maximumFractionDigits: digits });
}

/** Compact power: `850 MW`, `12.3 GW`. */
export function formatPower(mw: number): string {
  if (Math.abs(mw) >= 1000) return `${significant(mw / 1000)} GW`;
  return `${significant(mw)} MW`;
}

/** The value itself in MW, grouped, as the legend shows it under the cursor: `45,231 MW`. */
export function formatPowerExact(mw: number | null | undefined): string {
  if (mw === null || mw === undefined || !Number.isFinite(mw)) return '–';
  return `${(Math.abs(mw) < 100 ? GROUPED_1 : GROUPED).format(mw)} MW`;
}

/** Compact energy: `850 MWh`, `12.3 GWh`, `4.56 TWh`. */
export function formatEnergy(mwh: number): string {
  const abs = Math.abs(mwh);
  if (abs >= 1e6) return `${significant(mwh / 1e6)} TWh`;
  if (abs >= 1e3) return `${significant(mwh / 1e3)} GWh`;
  return `${significant(mwh)} MWh`;
}

/** A share 0..1 as a percentage with one decimal: `45.3%`. */
export function formatShare(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

/** Decimals needed to show `step` exactly (ticks are multiples of 1, 2, 2.5 or 5 times a power of ten). */
function decimalsOf(step: number): number {
  for (let decimals = 0; decimals < 6; decimals++) {
    if (Math.abs(Math.round(step * 10 ** decimals) - step * 10 ** decimals) < 1e-6) return decimals;
  }
  return 6;
}

/**
 * Axis labels for ticks in MW. One unit for the whole axis, chosen by its largest tick, and one number of
 * decimals, chosen by the tick step, so labels line up: `0 GW, 2.5 GW, 5 GW` rather than `0 MW, 2.5 GW`.
 */
export function powerTickLabels(ticks: readonly number[]): string[] {
  const largest = ticks.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  const [unit, divisor] = largest >= 1000 ? ['GW', 1000] : ['MW', 1];
  const first = ticks[0];
  const second = ticks[1];
  const step = first !== undefined && second !== undefined ? Math.abs(second - first) / divisor : 1;
  const decimals = decimalsOf(step);
  return ticks.map((v) => {
    const text = (v / divisor).toLocaleString('en-GB', {
      minimumFractionDigits: decimals,
      maximumFractionDigits: decimals,
    });
    return `${text === '-0' ? '0' : text} ${unit}`;
  });
}
