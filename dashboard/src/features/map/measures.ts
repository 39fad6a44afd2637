/** The quantities the map can colour countries by, with their names and how their values read. */

export type MapMeasure = 'load' | 'renewableShare' | 'netImport';

export const MEASURE_LABELS: Readonly<Record<MapMeasure, string>> = {
  load: 'Load',
  renewableShare: 'Renewable share',
  netImport: 'Net import',
};

const megawatts = new Intl.NumberFormat('en', { maximumFractionDigits: 0 });
const percent = new Intl.NumberFormat('en', { style: 'percent', maximumFractionDigits: 0 });

export function formatMegawatts(mw: number): string {
  return `${megawatts.format(mw)} MW`;
}

/** A value as a tooltip line: `Load: 54,321 MW`, `Renewable share: 43%`, `Net export: 800 MW`. */
export function formatMeasure(measure: MapMeasure, value: number): string {
  switch (measure) {
    case 'load':
      return `Load: ${formatMegawatts(value)}`;
    case 'renewableShare':
      return `Renewable share: ${percent.format(value)}`;
    case 'netImport':
      if (Math.round(value) === 0) return 'Imports and exports balance';
      return `${value > 0 ? 'Net import' : 'Net export'}: ${formatMegawatts(Math.abs(value))}`;
  }
}

/** A legend tick: shorter than a tooltip value, and signed for net import. */
export function formatTick(measure: MapMeasure, value: number): string {
  switch (measure) {
    case 'load':
      return megawatts.format(value);
    case 'renewableShare':
      return percent.format(value);
    case 'netImport':
      return value > 0 ? `+${megawatts.format(value)}` : megawatts.format(value).replace('-', '−');
  }
}
