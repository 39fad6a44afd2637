import { expect } from 'chai';
import type { Topology } from 'topojson-specification';
import countries50m from 'world-atlas/countries-50m.json' with { type: 'json' };
import { countryShapes } from './country-shapes';
import { ENTSOE_COUNTRIES } from './map-codes';
import { EUROPE_EXTENT, MAP_EXTENT, project, type Point } from './projection';

function inside([x, y]: Point, ring: readonly Point[]): boolean {
  let result = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const a = ring[i] as Point;
    const b = ring[j] as Point;
    if (a[1] > y !== b[1] > y && x < a[0] + ((y - a[1]) * (b[0] - a[0])) / (b[1] - a[1])) result = !result;
  }
  return result;
}

describe('map: country shapes from Natural Earth', function () {
  const shapes = countryShapes(countries50m as unknown as Topology);
  const byCode = new Map(shapes.flatMap((s) => (s.mapCode ? [[s.mapCode, s] as const] : [])));

  it('gives every ENTSO-E country one shape with an anchor inside it and inside Europe', function () {
    for (const { mapCode } of ENTSOE_COUNTRIES) {
      const shape = byCode.get(mapCode);
      expect(shape, mapCode).to.not.equal(undefined);
      const anchor = shape?.anchor;
      if (!shape || !anchor) throw new Error(`${mapCode} has no anchor`);
      expect(
        shape.polygons.some(([outer]) => inside(anchor, outer ?? [])),
        mapCode,
      ).to.equal(true);
      const [minX, minY, maxX, maxY] = EUROPE_EXTENT;
      expect(anchor[0], mapCode).to.be.within(minX, maxX);
      expect(anchor[1], mapCode).to.be.within(minY, maxY);
    }
  });

  it('anchors France in mainland France and Norway in mainland Norway', function () {
    const near = (code: string, lon: number, lat: number, km: number) => {
      const anchor = byCode.get(code)?.anchor;
      const expected = project(lon, lat);
      if (!anchor || !expected) throw new Error(code);
      expect(Math.hypot(anchor[0] - expected[0], anchor[1] - expected[1]) / 1000, code).to.be.below(km);
    };
    near('FR', 2.5, 46.5, 200);
    near('NO', 11, 63, 350);
    near('DE', 10.4, 51.1, 150);
  });

  it('keeps only what lies around Europe, clipped', function () {
    const [minX, minY, maxX, maxY] = MAP_EXTENT;
    for (const shape of shapes)
      for (const ring of shape.polygons.flat())
        for (const [x, y] of ring) {
          expect(x).to.be.within(minX - 1e-6, maxX + 1e-6);
          expect(y).to.be.within(minY - 1e-6, maxY + 1e-6);
        }
    const names = new Set(shapes.map((s) => s.name));
    for (const far of ['Brazil', 'Australia', 'Japan', 'United States of America'])
      expect(names).to.not.include(far);
    for (const context of ['Iceland', 'Morocco', 'N. Cyprus']) expect(names).to.include(context);
  });
});
