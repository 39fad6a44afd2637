import { expect } from 'chai';
import { EUROPE_EXTENT, INITIAL_EXTENT, MAP_EXTENT, project, type Extent, type Point } from './projection';

const at = (lon: number, lat: number): Point => {
  const point = project(lon, lat);
  if (!point) throw new Error(`${lon},${lat} is off the map`);
  return point;
};

/** Projected area of a cell of 1 by 1 degree with its south-west corner at lon, lat. */
function cellArea(lon: number, lat: number): number {
  const ring = [at(lon, lat), at(lon + 1, lat), at(lon + 1, lat + 1), at(lon, lat + 1)];
  let sum = 0;
  for (let i = 0; i < 4; i++) {
    const a = ring[i] as Point;
    const b = ring[(i + 1) % 4] as Point;
    sum += a[0] * b[1] - b[0] * a[1];
  }
  return Math.abs(sum) / 2;
}

const contains = (outer: Extent, inner: Extent) =>
  outer[0] <= inner[0] && outer[1] <= inner[1] && outer[2] >= inner[2] && outer[3] >= inner[3];

describe('map: Lambert equal-area projection of Europe', function () {
  it('puts 10° E 52° N at the origin, east right and north up', function () {
    expect(at(10, 52)[0]).to.be.closeTo(0, 1e-6);
    expect(at(10, 52)[1]).to.be.closeTo(0, 1e-6);
    expect(at(20, 52)[0]).to.be.above(0);
    expect(at(10, 60)[1]).to.be.above(0);
  });

  it('keeps areas: two degree cells far apart compare as on the globe', function () {
    const ratio = cellArea(20, 65) / cellArea(-5, 40);
    const expected =
      (Math.sin((66 * Math.PI) / 180) - Math.sin((65 * Math.PI) / 180)) /
      (Math.sin((41 * Math.PI) / 180) - Math.sin((40 * Math.PI) / 180));
    expect(ratio).to.be.closeTo(expected, 1e-3);
  });

  it('spans Iceland, Cyprus, Azerbaijan and the North Cape, and keeps land around Europe', function () {
    const [minX, minY, maxX, maxY] = EUROPE_EXTENT;
    for (const [lon, lat] of [
      [-24, 65],
      [34, 35],
      [50, 40.4],
      [25.8, 71.1],
      [-9.5, 37],
    ] as const) {
      const [x, y] = at(lon, lat);
      expect(x, `${lon},${lat}`).to.be.within(minX, maxX);
      expect(y, `${lon},${lat}`).to.be.within(minY, maxY);
    }
    expect(contains(MAP_EXTENT, EUROPE_EXTENT)).to.equal(true);
    expect(contains(EUROPE_EXTENT, INITIAL_EXTENT)).to.equal(true);
  });

  it('gives nothing for the far side of the globe', function () {
    expect(project(-170, -52)).to.equal(null);
  });
});
