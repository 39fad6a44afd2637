import { expect } from 'chai';
import { describe, it } from 'mocha';
import { layerTotal, sampleIndices } from './sampling';

describe('layerTotal', () => {
  it('sums layers, NaN where none has a value', () => {
    const total = layerTotal(
      [
        [1, null, null],
        [2, 3, null],
      ],
      3,
    );
    expect(Array.from(total)).to.deep.equal([3, 3, NaN]);
  });
});

describe('sampleIndices', () => {
  const n = 1000;
  const t = Array.from({ length: n }, (_, i) => i * 900);
  const total = Float64Array.from(t, (_, i) => Math.sin(i / 7) * 100 + 500);
  const whole = { from: 0, to: (n - 1) * 900 };

  it('keeps first, last, lowest and highest of each column, in order and without repeats', () => {
    const drawn = Array.from(sampleIndices(t, total, whole, 10));
    expect(drawn[0]).to.equal(0);
    expect(drawn[drawn.length - 1]).to.equal(n - 1);
    expect(drawn.length).to.be.at.most(4 * 11);
    for (let j = 1; j < drawn.length; j++) expect(drawn[j]).to.be.greaterThan(drawn[j - 1]!);
    const values = Array.from(total);
    expect(drawn).to.include(values.indexOf(Math.max(...values)));
    expect(drawn).to.include(values.indexOf(Math.min(...values)));
  });

  it('keeps the outline: every column’s extremes are drawn', () => {
    const columns = 20;
    const drawn = new Set(sampleIndices(t, total, whole, columns));
    const width = whole.to / columns;
    for (let c = 0; c < columns; c++) {
      const inColumn = t
        .map((time, i) => [time, i] as const)
        .filter(([time]) => Math.floor(time / width) === c);
      const highest = inColumn.reduce(
        (best, [, i]) => (total[i]! > total[best]! ? i : best),
        inColumn[0]![1],
      );
      expect(drawn.has(highest)).to.equal(true);
    }
  });

  it('keeps the first point of each run without a value', () => {
    const withGaps = Float64Array.from(total);
    withGaps.fill(NaN, 100, 110);
    withGaps[500] = NaN;
    const drawn = Array.from(sampleIndices(t, withGaps, whole, 10));
    expect(drawn).to.include(100);
    expect(drawn).to.include(500);
    expect(drawn).not.to.include(101);
    for (let j = 1; j < drawn.length; j++) expect(drawn[j]).to.be.greaterThan(drawn[j - 1]!);
  });

  it('draws the zoomed range in detail and the rest coarsely', () => {
    const view = { from: 400 * 900, to: 440 * 900 };
    const drawn = Array.from(sampleIndices(t, total, view, 100));
    const inside = drawn.filter((i) => i >= 400 && i < 440);
    expect(inside).to.deep.equal(Array.from({ length: 40 }, (_, i) => 400 + i));
    expect(drawn.length).to.be.below(40 + 4 * 101 + 4);
    expect(drawn[0]).to.equal(0);
    expect(drawn[drawn.length - 1]).to.equal(n - 1);
  });
});
