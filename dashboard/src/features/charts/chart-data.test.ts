import { expect } from 'chai';
import { describe, it } from 'mocha';
import { holdPadding, joinPadding, mergeOnTimeAxis, paddingRuns, stackLayers } from './chart-data';

const H = 3600;
const Q = 900;

describe('mergeOnTimeAxis', () => {
  it('puts areas of different resolutions on the union of their times, null where one lacks a time', () => {
    const merged = mergeOnTimeAxis([
      { t: [0, Q, 2 * Q, 3 * Q, 4 * Q], series: [{ name: 'DE', values: [1, 2, 3, 4, 5] }] },
      { t: [0, H], series: [{ name: 'PL', values: [10, null] }] },
      { t: [-H, 2 * Q], series: [{ name: 'FR', values: [7, 8] }] },
    ]);
    expect(merged.t).to.deep.equal([-H, 0, Q, 2 * Q, 3 * Q, 4 * Q]);
    expect(merged.series).to.deep.equal([
      { name: 'DE', values: [null, 1, 2, 3, 4, 5] },
      { name: 'PL', values: [null, 10, null, null, null, null] },
      { name: 'FR', values: [7, null, null, 8, null, null] },
    ]);
  });

  it('keeps several series of one set and answers nothing for nothing', () => {
    const merged = mergeOnTimeAxis([
      {
        t: [0, H],
        series: [
          { name: 'DE→FR', values: [1, 2] },
          { name: 'FR→DE', values: [3, 4] },
        ],
      },
    ]);
    expect(merged.series.map((s) => s.values)).to.deep.equal([
      [1, 2],
      [3, 4],
    ]);
    expect(mergeOnTimeAxis([])).to.deep.equal({ t: [], series: [] });
  });
});

describe('resolution padding', () => {
  // An hourly series on a 15-minute axis, with one hour missing (02:00) and one value at 04:00.
  const t = Array.from({ length: 17 }, (_, i) => i * Q);
  const hourly: (number | null)[] = t.map(() => null);
  hourly[0] = 1;
  hourly[4] = 2;
  hourly[12] = 4;
  hourly[16] = 5;

  it('tells the nulls between an hourly series’ values from a missing hour', () => {
    expect(paddingRuns(t, hourly)).to.deep.equal([
      [0, 4],
      [12, 16],
    ]);
  });

  it('joins lines across padding (undefined) and breaks them at gaps (null)', () => {
    const joined = joinPadding(t, hourly);
    expect(joined.slice(0, 5)).to.deep.equal([1, undefined, undefined, undefined, 2]);
    expect(joined.slice(5, 12)).to.deep.equal([null, null, null, null, null, null, null]);
    expect(joined.slice(12)).to.deep.equal([4, undefined, undefined, undefined, 5]);
  });

  it('holds a value over its interval for stacking', () => {
    const held = holdPadding(t, hourly);
    expect(held.slice(0, 5)).to.deep.equal([1, 1, 1, 1, 2]);
    expect(held.slice(5, 12)).to.deep.equal([null, null, null, null, null, null, null]);
    expect(held.slice(12)).to.deep.equal([4, 4, 4, 4, 5]);
  });

  it('sees a missing quarter hour of a 15-minute series as a gap', () => {
    const values = [1, 2, null, 4, 5];
    const quarter = [0, Q, 2 * Q, 3 * Q, 4 * Q];
    expect(paddingRuns(quarter, values)).to.deep.equal([]);
    expect(joinPadding(quarter, values)).to.equal(values);
  });

  it('follows a series that changes from hourly to 15 minutes', () => {
    const times = [-H, -3 * Q, -2 * Q, -Q, 0, Q, 2 * Q, 3 * Q, H, H + Q, H + 2 * Q];
    const values = [0, null, null, null, 1, null, null, null, 2, 3, 4];
    expect(paddingRuns(times, values)).to.deep.equal([
      [0, 4],
      [4, 8],
    ]);
  });

  it('takes two lone values up to an hour apart as one hourly series', () => {
    expect(paddingRuns([0, Q, 2 * Q, 3 * Q, H], [1, null, null, null, 2])).to.deep.equal([[0, 4]]);
    expect(paddingRuns([0, H, 2 * H], [1, null, 2])).to.deep.equal([]);
  });

  it('counts a run at either end when it is shorter than the series’ spacing', () => {
    const times = [0, Q, 2 * Q, 3 * Q, H, H + Q, H + 2 * Q, H + 3 * Q];
    // An hourly series whose range starts at 00:15 and ends at 01:45 on a 15-minute axis.
    const values = [null, null, null, null, 1, null, null, null];
    expect(paddingRuns(times.slice(1), values.slice(1))).to.deep.equal([
      [-1, 3],
      [3, 7],
    ]);
    expect(joinPadding(times.slice(1), values.slice(1))).to.deep.equal([
      undefined,
      undefined,
      undefined,
      1,
      undefined,
      undefined,
      undefined,
    ]);
    expect(holdPadding(times.slice(1), values.slice(1))).to.deep.equal([null, null, null, 1, 1, 1, 1]);
    // A quarter-hour series that stops: its last value covers 15 minutes, not the rest.
    expect(paddingRuns([0, Q, 2 * Q, 3 * Q], [1, 2, null, null])).to.deep.equal([]);
  });

  it('returns the same array when there is nothing to fill', () => {
    const values = [1, 2, 3];
    expect(holdPadding([0, Q, 2 * Q], values)).to.equal(values);
  });
});

describe('stackLayers', () => {
  it('sums layers bottom up', () => {
    const sums = stackLayers(
      [
        [1, 2, 3],
        [10, 20, 30],
        [100, 200, 300],
      ],
      3,
    );
    expect(sums.map((s) => Array.from(s))).to.deep.equal([
      [1, 2, 3],
      [11, 22, 33],
      [111, 222, 333],
    ]);
    expect(sums[0]).to.be.instanceOf(Float64Array);
  });

  it('adds nothing for a missing value while another layer has one, and leaves a gap where none has', () => {
    const sums = stackLayers(
      [
        [1, null, null, 4],
        [10, 20, null, null],
      ],
      4,
    );
    expect(sums).to.deep.equal([
      [1, 0, null, 4],
      [11, 20, null, 4],
    ]);
  });

  it('stacks only the given indices', () => {
    const sums = stackLayers(
      [
        [1, 2, 3, 4],
        [10, 20, 30, 40],
      ],
      4,
      Int32Array.from([0, 3]),
    );
    expect(sums.map((s) => Array.from(s))).to.deep.equal([
      [1, 4],
      [11, 44],
    ]);
  });
});
