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

/** The shape of a MapCode (`DE`, `DE_LU`, `IT-NORTH`, `DE_TenneT_GER`), for request parameters. */
export const MAP_CODE = /^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/;

/** The 44 countries of the course's country list, as MapCodes (shared/entsoe/README.md §5.3). */
export const COUNTRY_MAP_CODES: ReadonlySet<string> = new Set(
  (
    'AL AM AT AZ BA BE BG BY CH CY CZ DE DK EE ES FI FR GB GE GR HR HU IE IT LT LU LV MD ME MK MT NL NO PL ' +
    'PT RO RS RU SE SI SK TR UA XK'
  ).split(' '),
);

/**
 * Every MapCode a row may carry: the countries, which also serve as bidding zones, control areas and the
 * r3 files' aggregates (`IT`, `DK`, `SE`, `NO`, `GB`), and the zones that are not countries (§5.4), retired
 * ones included (`DE_AT_LU` until 2018, `UA_DobTPP`), so old months still import. A code outside the list
 * is refused row by row (`unknown_map_code`): a bit flip (`2R`) must not become an area. A new zone of
 * ENTSO-E's needs an entry here.
 */
export const MAP_CODES: ReadonlySet<string> = new Set([
  ...COUNTRY_MAP_CODES,
  'DE_LU',
  'DE_AT_LU',
  'DE_50HzT',
  'DE_Amprion',
  'DE_TenneT_GER',
  'DE_TransnetBW',
  'DK1',
  'DK2',
  'NO1',
  'NO2',
  'NO3',
  'NO4',
  'NO5',
  'SE1',
  'SE2',
  'SE3',
  'SE4',
  'IT-NORTH',
  'IT-CNORTH',
  'IT-CSOUTH',
  'IT-SOUTH',
  'IT-Calabria',
  'IT-Sardinia',
  'IT-Sicily',
  'IT-SACOAC',
  'IT-SACODC',
  'IE_SEM',
  'NIE',
  'GB_IFA',
  'GB_IFA2',
  'UA_BEI',
  'UA_IPS',
  'UA_DobTPP',
  'RU_KGD',
  // The Baltic states' aliases from before their synchronisation with continental Europe (r3 flows).
  'EE_IPS',
  'LT_IPS',
  'LV_IPS',
]);

const EIC_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-';
const EIC = /^[0-9A-Z-]{15}[0-9A-Z-]$/;

/**
 * An Energy Identification Code: 16 characters, the last a check character over the first 15 (ENTSO-E's
 * EIC reference manual: character values 0–36, weights 16 down to 2, check = 36 − (sum − 1) mod 37).
 * Verified against every code in the real sample files.
 */
export function isEic(code: string): boolean {
  if (!EIC.test(code)) return false;
  let sum = 0;
  for (let i = 0; i < 15; i++) sum += EIC_ALPHABET.indexOf(code[i] as string) * (16 - i);
  return EIC_ALPHABET[36 - ((sum - 1) % 37)] === code[15];
}

/**
 * Countries whose CTY rows carry their MapCode instead of an EIC code: Russia and Belarus, in the flows of
 * the real files, which have EIC codes only for their bidding zones and control areas.
 */
const SHORT_AREA_CODES: ReadonlySet<string> = new Set(['RU', 'BY']);

/** An AreaCode is an EIC code, or the MapCode itself for the two countries that have none. */
export function isAreaCode(areaCode: string, mapCode: string): boolean {
  return isEic(areaCode) || (areaCode === mapCode && SHORT_AREA_CODES.has(mapCode));
}

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
