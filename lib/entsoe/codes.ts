/** ENTSO-E code lists EnergyLive accepts; anything else is rejected row by row as an unknown code. */

export const RESOLUTION_SECONDS: Readonly<Record<string, number>> = { PT15M: 900, PT30M: 1800, PT60M: 3600 };

export const AREA_TYPES: ReadonlySet<string> = new Set(['CTY', 'BZN', 'CTA']);

/** The 20 production types of the legacy files plus `Energy storage` (PSR B25), which r3 files carry. */
export const PRODUCTION_TYPES: ReadonlySet<string> = new Set([
  'Biomass',
  'Energy storage',
  'Fossil Brown coal/Lignite',
  'Fossil Coal-derived gas',
  'Fossil Gas',
  'Fossil Hard coal',
  'Fossil Oil',
  'Fossil Oil shale',
  'Fossil Peat',
  'Geothermal',
  'Hydro Pumped Storage',
  'Hydro Run-of-river and poundage',
  'Hydro Water Reservoir',
  'Marine',
  'Nuclear',
  'Other',
  'Other renewable',
  'Solar',
  'Waste',
  'Wind Offshore',
  'Wind Onshore',
]);

/** MapCodes seen so far look like `DE`, `DE_LU`, `IT-NORTH`, `DE_TenneT_GER`; new ones keep that shape. */
export const MAP_CODE = /^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/;

/** Usually a 16-character EIC code, but real files also carry short ones (`RU` for Russia's CTY rows). */
export const AREA_CODE = /^[0-9A-Za-z][0-9A-Za-z_-]{0,31}$/;

/**
 * Legacy rows carry one area type; r3 rows may carry a slash-joined set (`BZN/CTA/CTY`).
 * Returns the set sorted and re-joined, so the same set always stores as the same string, or null if a
 * token is unknown.
 */
export function normalizeAreaType(raw: string): string | null {
  if (AREA_TYPES.has(raw)) return raw;
  const tokens = raw.split('/');
  for (const token of tokens) if (!AREA_TYPES.has(token)) return null;
  return [...new Set(tokens)].sort().join('/');
}
