import type { MapMeasure } from './measures';

export type Theme = 'light' | 'dark';

export interface ColorScale {
  /** Values at the two ends of the scale; values beyond take the end colours. */
  domain: [number, number];
  color(value: number): string;
}

/**
 * Colour ramps per measure and theme. Sequential ramps run from close to the background (low) to strong
 * contrast with it (high): dark on the light theme, bright on the dark one; their low end stays tinted, so
 * a low value does not pass for the grey of countries outside ENTSO-E. The net-import ramp diverges
 * from a neutral 0 to blue for export and orange-red for import, with the same lightness on both sides.
 */
const RAMPS: Readonly<Record<MapMeasure, Readonly<Record<Theme, readonly string[]>>>> = {
  load: {
    light: ['#edf7c6', '#c2e6b4', '#7fcdbb', '#41b6c4', '#1d91c0', '#225ea8', '#0c2c84'],
    dark: ['#223d52', '#1f5268', '#1b6e82', '#2b9396', '#5bb79b', '#a4d696', '#eef39f'],
  },
  renewableShare: {
    light: ['#f3f0d2', '#d9efb0', '#a6d96a', '#66bd63', '#1a9850', '#006837'],
    dark: ['#323d2a', '#3a5a2f', '#3e7836', '#55a243', '#86c85b', '#c4ec83'],
  },
  netImport: {
    light: ['#2166ac', '#67a9cf', '#d1e5f0', '#f5f5f5', '#fddbc7', '#ef8a62', '#b2182b'],
    dark: ['#9ccbff', '#5b97d1', '#2f5377', '#3a3d42', '#7b4b35', '#d0784d', '#ffb089'],
  },
};

/** The scale for the values on screen: load up to the largest present, share 0..1, net import symmetric around 0. */
export function colorScale(measure: MapMeasure, values: readonly number[], theme: Theme): ColorScale {
  const domain = scaleDomain(measure, values);
  const ramp = RAMPS[measure][theme].map(parseHex);
  const [low, high] = domain;
  return {
    domain,
    color: (value) => interpolate(ramp, (value - low) / (high - low)),
  };
}

function scaleDomain(measure: MapMeasure, values: readonly number[]): [number, number] {
  switch (measure) {
    case 'renewableShare':
      return [0, 1];
    case 'load': {
      const max = Math.max(0, ...values.filter(Number.isFinite));
      return [0, max > 0 ? max : 1];
    }
    case 'netImport': {
      const max = Math.max(0, ...values.filter(Number.isFinite).map(Math.abs));
      return max > 0 ? [-max, max] : [-1, 1];
    }
  }
}

type Rgb = [number, number, number];

function parseHex(hex: string): Rgb {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

function interpolate(ramp: readonly Rgb[], t: number): string {
  const position = Math.min(Math.max(Number.isFinite(t) ? t : 0, 0), 1) * (ramp.length - 1);
  const index = Math.min(Math.floor(position), ramp.length - 2);
  const a = ramp[index] as Rgb;
  const b = ramp[index + 1] as Rgb;
  const f = position - index;
  const channel = (i: 0 | 1 | 2): string =>
    Math.round(a[i] + (b[i] - a[i]) * f)
      .toString(16)
      .padStart(2, '0');
  return `#${channel(0)}${channel(1)}${channel(2)}`;
}
