/**
 * ENTSO-E production types counted as renewable, for the renewable share. Pumped storage and other
 * storage only move energy generated elsewhere, and waste is counted as fossil by most national
 * statistics, so none of them is in; "Other renewable" and marine are.
 */
export const RENEWABLE_TYPES: ReadonlySet<string> = new Set([
  'Biomass',
  'Geothermal',
  'Hydro Run-of-river and poundage',
  'Hydro Water Reservoir',
  'Marine',
  'Other renewable',
  'Solar',
  'Wind Offshore',
  'Wind Onshore',
]);
