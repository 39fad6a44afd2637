/**
 * ENTSO-E production types counted as renewable, after the EU's Renewable Energy Directive (2018/2001,
 * art. 2): wind, solar, geothermal, hydro from natural inflow, ocean energy and biomass. Left out: pumped
 * storage and `Energy storage`, which return energy taken from the grid; `Waste`, whose biogenic part
 * ENTSO-E does not report separately; and `Other`, which is mostly fossil. The map snapshot and the
 * dashboard's statistics both use this set.
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
