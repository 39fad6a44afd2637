/**
 * The countries (ENTSO-E area type CTY) of the Transparency Platform and their shapes in Natural Earth.
 * Natural Earth identifies a country by its ISO 3166-1 numeric code; ENTSO-E by a MapCode that is the
 * ISO alpha-2 code (GB for the United Kingdom, XK for Kosovo, which has no ISO code and is matched by name).
 */

export interface EntsoeCountry {
  mapCode: string;
  name: string;
  /** ISO 3166-1 numeric, Natural Earth's feature id; null where Natural Earth has none. */
  isoNumeric: string | null;
}

export const ENTSOE_COUNTRIES: readonly EntsoeCountry[] = [
  { mapCode: 'AL', name: 'Albania', isoNumeric: '008' },
  { mapCode: 'AM', name: 'Armenia', isoNumeric: '051' },
  { mapCode: 'AT', name: 'Austria', isoNumeric: '040' },
  { mapCode: 'AZ', name: 'Azerbaijan', isoNumeric: '031' },
  { mapCode: 'BA', name: 'Bosnia and Herzegovina', isoNumeric: '070' },
  { mapCode: 'BE', name: 'Belgium', isoNumeric: '056' },
  { mapCode: 'BG', name: 'Bulgaria', isoNumeric: '100' },
  { mapCode: 'BY', name: 'Belarus', isoNumeric: '112' },
  { mapCode: 'CH', name: 'Switzerland', isoNumeric: '756' },
  { mapCode: 'CY', name: 'Cyprus', isoNumeric: '196' },
  { mapCode: 'CZ', name: 'Czechia', isoNumeric: '203' },
  { mapCode: 'DE', name: 'Germany', isoNumeric: '276' },
  { mapCode: 'DK', name: 'Denmark', isoNumeric: '208' },
  { mapCode: 'EE', name: 'Estonia', isoNumeric: '233' },
  { mapCode: 'ES', name: 'Spain', isoNumeric: '724' },
  { mapCode: 'FI', name: 'Finland', isoNumeric: '246' },
  { mapCode: 'FR', name: 'France', isoNumeric: '250' },
  { mapCode: 'GB', name: 'United Kingdom', isoNumeric: '826' },
  { mapCode: 'GE', name: 'Georgia', isoNumeric: '268' },
  { mapCode: 'GR', name: 'Greece', isoNumeric: '300' },
  { mapCode: 'HR', name: 'Croatia', isoNumeric: '191' },
  { mapCode: 'HU', name: 'Hungary', isoNumeric: '348' },
  { mapCode: 'IE', name: 'Ireland', isoNumeric: '372' },
  { mapCode: 'IT', name: 'Italy', isoNumeric: '380' },
  { mapCode: 'LT', name: 'Lithuania', isoNumeric: '440' },
  { mapCode: 'LU', name: 'Luxembourg', isoNumeric: '442' },
  { mapCode: 'LV', name: 'Latvia', isoNumeric: '428' },
  { mapCode: 'MD', name: 'Moldova', isoNumeric: '498' },
  { mapCode: 'ME', name: 'Montenegro', isoNumeric: '499' },
  { mapCode: 'MK', name: 'North Macedonia', isoNumeric: '807' },
  { mapCode: 'MT', name: 'Malta', isoNumeric: '470' },
  { mapCode: 'NL', name: 'Netherlands', isoNumeric: '528' },
  { mapCode: 'NO', name: 'Norway', isoNumeric: '578' },
  { mapCode: 'PL', name: 'Poland', isoNumeric: '616' },
  { mapCode: 'PT', name: 'Portugal', isoNumeric: '620' },
  { mapCode: 'RO', name: 'Romania', isoNumeric: '642' },
  { mapCode: 'RS', name: 'Serbia', isoNumeric: '688' },
  { mapCode: 'RU', name: 'Russia', isoNumeric: '643' },
  { mapCode: 'SE', name: 'Sweden', isoNumeric: '752' },
  { mapCode: 'SI', name: 'Slovenia', isoNumeric: '705' },
  { mapCode: 'SK', name: 'Slovakia', isoNumeric: '703' },
  { mapCode: 'TR', name: 'Turkey', isoNumeric: '792' },
  { mapCode: 'UA', name: 'Ukraine', isoNumeric: '804' },
  { mapCode: 'XK', name: 'Kosovo', isoNumeric: null },
];

/** Natural Earth's name for Kosovo, the one ENTSO-E country it gives no id. */
const KOSOVO_NAME = 'Kosovo';

/**
 * Territories Natural Earth draws apart that sit inside an ENTSO-E country's grid and data; drawn as their
 * own shape they would be grey specks in a coloured country. Åland is part of Finland; San Marino and the
 * Vatican are supplied within Italy's grid, Monaco within France's.
 */
const PART_OF: Readonly<Record<string, string>> = { '248': 'FI', '336': 'IT', '674': 'IT', '492': 'FR' };

const BY_ISO_NUMERIC: ReadonlyMap<string, EntsoeCountry> = new Map(
  ENTSOE_COUNTRIES.flatMap((c) => (c.isoNumeric === null ? [] : [[c.isoNumeric, c] as const])),
);
const BY_MAP_CODE: ReadonlyMap<string, EntsoeCountry> = new Map(ENTSOE_COUNTRIES.map((c) => [c.mapCode, c]));

/** The ENTSO-E country a Natural Earth feature (id, name) belongs to, or null for a country outside ENTSO-E. */
export function entsoeCountryOf(id: string | undefined, name: string): EntsoeCountry | null {
  if (id === undefined) return name === KOSOVO_NAME ? (BY_MAP_CODE.get('XK') ?? null) : null;
  return BY_ISO_NUMERIC.get(id) ?? BY_MAP_CODE.get(PART_OF[id] ?? '') ?? null;
}

export function countryName(mapCode: string): string {
  return BY_MAP_CODE.get(mapCode)?.name ?? mapCode;
}
