import type { Theme } from './color-scale';

/** The map's colours besides the data ramps, per theme; the canvas cannot read CSS, so they live here. */
export interface MapPalette {
  sea: string;
  /** Countries outside ENTSO-E, drawn for context. */
  land: string;
  /** ENTSO-E countries without a value: stripes of these two. */
  noData: string;
  noDataStripe: string;
  border: string;
  hover: string;
  selected: string;
  arrow: string;
  arrowHalo: string;
  arrowHover: string;
  /** The tooltip and legend, drawn as HTML over and under the canvas. */
  panel: string;
  panelText: string;
  panelMuted: string;
  panelBorder: string;
}

export const PALETTES: Readonly<Record<Theme, MapPalette>> = {
  light: {
    sea: '#e9eff5',
    land: '#f6f6f4',
    noData: '#dcdfe3',
    noDataStripe: '#c5c9cf',
    border: '#ffffff',
    hover: '#4a5462',
    selected: '#111827',
    arrow: 'rgba(31, 41, 55, 0.88)',
    arrowHalo: '#ffffff',
    arrowHover: '#c2410c',
    panel: '#ffffff',
    panelText: '#111827',
    panelMuted: '#5b6472',
    panelBorder: '#d7dbe0',
  },
  dark: {
    sea: '#0f151c',
    land: '#1c2128',
    noData: '#2c323a',
    noDataStripe: '#3b424c',
    border: '#0f151c',
    hover: '#c9d1db',
    selected: '#ffffff',
    arrow: 'rgba(236, 240, 245, 0.9)',
    arrowHalo: '#0f151c',
    arrowHover: '#fdba74',
    panel: '#1a2029',
    panelText: '#e8edf3',
    panelMuted: '#9aa5b4',
    panelBorder: '#343c47',
  },
};
