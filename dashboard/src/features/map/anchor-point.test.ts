import { expect } from 'chai';
import { anchorPoint } from './anchor-point';
import type { Point } from './projection';

describe('map: anchor point of a country', function () {
  it('is the centroid of a convex shape', function () {
    expect(
      anchorPoint([
        [
          [0, 0],
          [4, 0],
          [4, 2],
          [0, 2],
          [0, 0],
        ],
      ]),
    ).to.deep.equal([2, 1]);
  });

  it('lies in the largest polygon, not in an overseas one', function () {
    const small: Point[] = [
      [100, 100],
      [101, 100],
      [101, 101],
      [100, 100],
    ];
    const large: Point[] = [
      [0, 0],
      [10, 0],
      [10, 10],
      [0, 10],
      [0, 0],
    ];
    expect(anchorPoint([small, large])).to.deep.equal([5, 5]);
  });

  it('stays inside a C-shaped polygon whose centroid falls in the gap', function () {
    const c: Point[] = [
      [0, 0],
      [10, 0],
      [10, 2],
      [2, 2],
      [2, 8],
      [10, 8],
      [10, 10],
      [0, 10],
      [0, 0],
    ];
    const anchor = anchorPoint([c]);
    if (!anchor) throw new Error('no anchor');
    expect(anchor[0]).to.be.within(0, 2);
    expect(anchor[1]).to.be.within(0, 10);
  });

  it('gives nothing without polygons', function () {
    expect(anchorPoint([])).to.equal(null);
  });
});
