/**
 * ENTSO-E production types in stacking order, bottom to top, each with its colour. Steady sources sit at the
 * bottom and weather-driven ones on top, so the swings of wind and solar read against a calm base. Colours
 * are mid-tones that keep their contrast on a light and on a dark background.
 */
const PRODUCTION_TYPES: readonly (readonly [type: string, color: string])[] = [
  ['Nuclear', '#9d5fd0'],
  ['Fossil Brown coal/Lignite', '#8a5a32'],
  ['Fossil Hard coal', '#6e6e6e'],
  ['Fossil Coal-derived gas', '#9b8f83'],
  ['Fossil Peat', '#a87d5a'],
  ['Fossil Oil shale', '#75644f'],
  ['Fossil Oil', '#6b4a3a'],
  ['Fossil Gas', '#de7b3c'],
  ['Waste', '#8f8c55'],
  ['Other', '#a9a9b3'],
  ['Geothermal', '#c4504c'],
  ['Biomass', '#4f9a3a'],
  ['Other renewable', '#9ccb62'],
  ['Hydro Run-of-river and poundage', '#4a90d9'],
  ['Hydro Water Reservoir', '#2360a8'],
  ['Hydro Pumped Storage', '#84b7e8'],
  ['Energy storage', '#cf7cbf'],
  ['Marine', '#3d7891'],
  ['Wind Offshore', '#15827a'],
  ['Wind Onshore', '#2cb3a2'],
  ['Solar', '#f0c02b'],
];

const COLOR = new Map(PRODUCTION_TYPES);
const RANK = new Map(PRODUCTION_TYPES.map(([type], i) => [type, i]));

/** Only for a type the server learns before this table does. */
const UNKNOWN_TYPE_COLOR = '#8c8c8c';

export function productionTypeColor(type: string): string {
  return COLOR.get(type) ?? UNKNOWN_TYPE_COLOR;
}

export function isProductionType(name: string): boolean {
  return COLOR.has(name);
}

/** Position in the stack, bottom first; unknown types go on top, after every known one. */
export function productionTypeRank(type: string): number {
  return RANK.get(type) ?? PRODUCTION_TYPES.length;
}

/** Hues far apart, so up to four compared areas (and a flow's neighbours beyond that) stay distinguishable. */
const SERIES_COLORS = [
  '#2f6fde',
  '#e0603a',
  '#27a372',
  '#a45bd9',
  '#c99a12',
  '#dd5a99',
  '#1aa3b5',
  '#8c6b45',
  '#6b7d93',
  '#b8322b',
] as const;

export function seriesColor(index: number): string {
  return SERIES_COLORS[index % SERIES_COLORS.length] ?? SERIES_COLORS[0];
}
