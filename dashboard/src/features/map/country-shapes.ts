import type { MultiPolygon, Polygon, Position } from 'geojson';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import { anchorPoint } from './anchor-point';
import { clipRing } from './clip-ring';
import { entsoeCountryOf } from './map-codes';
import { EUROPE_EXTENT, MAP_EXTENT, project, type Point } from './projection';

export interface CountryShape {
  /** ENTSO-E MapCode; null for a neighbour outside ENTSO-E, drawn for context only. */
  mapCode: string | null;
  name: string;
  /** Projected polygons clipped around Europe, each an outer ring followed by its holes. */
  polygons: Point[][][];
  /** Where flow arrows attach, inside the country's part of EUROPE_EXTENT; null if it has none. */
  anchor: Point | null;
}

/** Coarse longitude/latitude bounds that keep every polygon near the map, checked before projecting. */
const NEAR_EUROPE = { west: -45, east: 90, south: 20 };

/**
 * Turns Natural Earth's world-atlas topology (object `countries`) into the map's shapes: projected,
 * clipped, the ENTSO-E countries tagged with their MapCode and joined with the territories drawn inside them.
 */
export function countryShapes(topology: Topology): CountryShape[] {
  const countries = topology.objects['countries'] as GeometryCollection<{ name: string }>;
  const shapes = new Map<string, CountryShape>();
  for (const f of feature(topology, countries).features) {
    if (f.geometry.type !== 'Polygon' && f.geometry.type !== 'MultiPolygon') continue;
    const name = f.properties.name;
    const id = f.id === undefined ? undefined : String(f.id);
    const polygons = projectPolygons(f.geometry);
    if (polygons.length === 0) continue;
    const country = entsoeCountryOf(id, name);
    const key = country?.mapCode ?? `${id ?? ''}:${name}`;
    const shape = shapes.get(key);
    if (shape) shape.polygons.push(...polygons);
    else
      shapes.set(key, {
        mapCode: country?.mapCode ?? null,
        name: country?.name ?? name,
        polygons,
        anchor: null,
      });
  }
  for (const shape of shapes.values()) {
    const visible = shape.polygons.flatMap(([outer]) => {
      const ring = clipRing(outer ?? [], EUROPE_EXTENT);
      return ring === null ? [] : [ring];
    });
    shape.anchor = visible.length > 0 ? anchorPoint(visible) : null;
  }
  return [...shapes.values()];
}

function projectPolygons(geometry: Polygon | MultiPolygon): Point[][][] {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  const result: Point[][][] = [];
  for (const [outer, ...holes] of polygons) {
    if (outer === undefined || !nearEurope(outer)) continue;
    const clippedOuter = projectRing(outer);
    if (clippedOuter === null) continue;
    const clippedHoles = holes.map(projectRing).filter((ring) => ring !== null);
    result.push([clippedOuter, ...clippedHoles]);
  }
  return result;
}

function projectRing(ring: Position[]): Point[] | null {
  const projected: Point[] = [];
  for (const [lon = 0, lat = 0] of ring) {
    const point = project(lon, lat);
    if (point === null) return null;
    projected.push(point);
  }
  return clipRing(projected, MAP_EXTENT);
}

function nearEurope(ring: Position[]): boolean {
  let west = Infinity;
  let east = -Infinity;
  let north = -Infinity;
  for (const [lon = 0, lat = 0] of ring) {
    west = Math.min(west, lon);
    east = Math.max(east, lon);
    north = Math.max(north, lat);
  }
  return east >= NEAR_EUROPE.west && west <= NEAR_EUROPE.east && north >= NEAR_EUROPE.south;
}
