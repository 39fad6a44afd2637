import { expect } from 'chai';
import { arrowPolygon, arrowSize, type ArrowSize } from './arrow-geometry';
import type { Point } from './projection';

const SIZE: ArrowSize = { length: 40, shaftWidth: 6, headLength: 12, headWidth: 16 };
const TIP = 3;

describe('map: flow arrow geometry', function () {
  it('points from `from` to `to` in every direction, centred between them', function () {
    for (let degrees = 0; degrees < 360; degrees += 30) {
      const angle = (degrees * Math.PI) / 180;
      const from: Point = [100, 200];
      const to: Point = [100 + 500 * Math.cos(angle), 200 + 500 * Math.sin(angle)];
      const ring = arrowPolygon(from, to, SIZE);
      if (!ring) throw new Error('no arrow');
      const tip = ring[TIP] as Point;
      const mid: Point = [(from[0] + to[0]) / 2, (from[1] + to[1]) / 2];
      expect(Math.hypot(tip[0] - mid[0], tip[1] - mid[1]), `${degrees}°`).to.be.closeTo(
        SIZE.length / 2,
        1e-9,
      );
      const others = ring.filter((_, i) => i !== TIP);
      const distanceToTarget = (p: Point) => Math.hypot(p[0] - to[0], p[1] - to[1]);
      for (const p of others) expect(distanceToTarget(tip), `${degrees}°`).to.be.below(distanceToTarget(p));
      expect(ring[0]).to.equal(ring.at(-1));
    }
  });

  it('is as wide as asked at the shaft and at the head', function () {
    const ring = arrowPolygon([0, 0], [100, 0], SIZE);
    if (!ring) throw new Error('no arrow');
    const ys = ring.map(([, y]) => Math.abs(y));
    expect(Math.max(...ys)).to.be.closeTo(SIZE.headWidth / 2, 1e-9);
    expect(Math.abs((ring[0] as Point)[1])).to.be.closeTo(SIZE.shaftWidth / 2, 1e-9);
  });

  it('has no direction between coincident points', function () {
    expect(arrowPolygon([5, 5], [5, 5], SIZE)).to.equal(null);
  });

  it('widens with the power it carries, by its square root, up to the largest flow', function () {
    const small = arrowSize(100, 1600, 200);
    const quarter = arrowSize(400, 1600, 200);
    const largest = arrowSize(1600, 1600, 200);
    expect(small.shaftWidth).to.be.below(quarter.shaftWidth);
    expect(quarter.shaftWidth).to.be.below(largest.shaftWidth);
    expect(quarter.shaftWidth - small.shaftWidth).to.be.closeTo(
      (largest.shaftWidth - small.shaftWidth) / 3,
      1e-9,
    );
    expect(arrowSize(5000, 1600, 200).shaftWidth).to.equal(largest.shaftWidth);
    expect(largest.headWidth).to.be.above(largest.shaftWidth);
  });

  it('takes half the gap between countries, but always shows a shaft and never grows huge', function () {
    expect(arrowSize(100, 100, 60).length).to.equal(30);
    const tiny = arrowSize(100, 100, 4);
    expect(tiny.length).to.be.above(tiny.headLength);
    expect(arrowSize(100, 100, 1000).length).to.be.below(60);
  });
});
