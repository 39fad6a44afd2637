/**
 * The map's projection: spherical Lambert azimuthal equal-area centred on 10° E, 52° N, the centre of
 * ETRS89-LAEA (EPSG:3035). Areas keep their true proportions, so the Nordic countries are not blown up
 * the way Web Mercator draws them, and OpenLayers needs no proj4 to use it: shapes are projected here once.
 */

const EARTH_RADIUS = 6_371_008.8;
const CENTRE_LON = (10 * Math.PI) / 180;
const CENTRE_LAT = (52 * Math.PI) / 180;
const SIN_CENTRE_LAT = Math.sin(CENTRE_LAT);
const COS_CENTRE_LAT = Math.cos(CENTRE_LAT);

export type Point = [number, number];
/** [minX, minY, maxX, maxY] in projected metres, the order OpenLayers uses. */
export type Extent = [number, number, number, number];

export const PROJECTION_CODE = 'EnergyLive:LAEA-Europe';

/** Projects longitude/latitude in degrees to metres; null on the far side of the globe (off any map of Europe). */
export function project(lon: number, lat: number): Point | null {
  const lambda = (lon * Math.PI) / 180 - CENTRE_LON;
  const phi = (lat * Math.PI) / 180;
  const cosPhi = Math.cos(phi);
  const cosC = SIN_CENTRE_LAT * Math.sin(phi) + COS_CENTRE_LAT * cosPhi * Math.cos(lambda);
  if (cosC < -0.5) return null;
  const k = Math.sqrt(2 / (1 + cosC));
  return [
    EARTH_RADIUS * k * cosPhi * Math.sin(lambda),
    EARTH_RADIUS * k * (COS_CENTRE_LAT * Math.sin(phi) - SIN_CENTRE_LAT * cosPhi * Math.cos(lambda)),
  ];
}

/** Europe as the map is about, Iceland to Azerbaijan, Crete and Cyprus to the North Cape: arrows attach within it. */
export const EUROPE_EXTENT: Extent = [-1_850_000, -1_950_000, 3_450_000, 2_300_000];

/**
 * What the map holds: shapes are clipped to it and the view never shows beyond it, so a wide or tall map
 * element shows North Africa or the Urals beside Europe rather than the edge where the shapes end.
 */
export const MAP_EXTENT: Extent = [-3_950_000, -3_000_000, 5_100_000, 3_450_000];

/** The first view: continental Europe with Ireland, Portugal, Cyprus, Turkey and the Nordic countries. */
export const INITIAL_EXTENT: Extent = [-1_650_000, -1_800_000, 2_800_000, 2_250_000];
