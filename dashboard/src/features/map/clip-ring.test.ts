import { expect } from 'chai';
import { clipRing } from './clip-ring';
import type { Extent, Point } from './projection';

const BOX: Extent = [0, 0, 10, 10];

function area(ring: readonly Point[]): number {
  let sum = 0;
  for (let i = 0; i + 1 < ring.length; i++) {
    const a = ring[i] as Point;
    const b = ring[i + 1] as Point;
    sum += a[0] * b[1] - b[0] * a[1];
  }
  return Math.abs(sum) / 2;
}

describe('map: clipping rings to a rectangle', function () {
  it('keeps a ring inside the rectangle as it is', function () {
    const ring: Point[] = [
      [1, 1],
      [4, 1],
      [4, 4],
      [1, 1],
    ];
    expect(clipRing(ring, BOX)).to.deep.equal(ring);
  });

  it('cuts a ring crossing the edges to the part inside, closed', function () {
    const clipped = clipRing(
      [
        [-5, -5],
        [5, -5],
        [5, 5],
        [-5, 5],
        [-5, -5],
      ],
      BOX,
    );
    if (!clipped) throw new Error('nothing left');
    expect(area(clipped)).to.be.closeTo(25, 1e-9);
    expect(clipped[0]).to.deep.equal(clipped.at(-1));
    for (const [x, y] of clipped) {
      expect(x).to.be.within(0, 10);
      expect(y).to.be.within(0, 10);
    }
  });

  it('cuts a triangle through a corner', function () {
    const clipped = clipRing(
      [
        [8, 8],
        [14, 8],
        [8, 14],
        [8, 8],
      ],
      BOX,
    );
    if (!clipped) throw new Error('nothing left');
    expect(area(clipped)).to.be.closeTo(4, 1e-9);
  });

  it('leaves nothing of a ring outside the rectangle', function () {
    expect(
      clipRing(
        [
          [20, 20],
          [30, 20],
          [30, 30],
          [20, 20],
        ],
        BOX,
      ),
    ).to.equal(null);
  });
});
