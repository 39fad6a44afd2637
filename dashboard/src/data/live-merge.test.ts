import { expect } from 'chai';
import type { ColumnarSeries } from '../api/types';
import { mergeUpdate } from './live-merge';

const doc = (t: number[], series: ColumnarSeries['series']): ColumnarSeries => ({
  dataset: 'generation',
  area: 'DE',
  resolution: 'PT60M',
  unit: 'MW',
  t,
  series,
});

describe('merging a live update into the shown series', () => {
  it('replaces corrected values in place and leaves the rest', () => {
    const shown = doc([0, 3600, 7200], [{ name: 'Solar', values: [1, 2, 3] }]);
    const merged = mergeUpdate(shown, doc([3600], [{ name: 'Solar', values: [20] }]));
    expect(merged.t).to.deep.equal([0, 3600, 7200]);
    expect(merged.series).to.deep.equal([{ name: 'Solar', values: [1, 20, 3] }]);
    expect(shown.series[0]?.values).to.deep.equal([1, 2, 3]);
  });

  it('inserts new intervals in time order with nulls for series the update does not carry', () => {
    const shown = doc(
      [0, 7200],
      [
        { name: 'Solar', values: [1, 3] },
        { name: 'Wind Onshore', values: [5, 6] },
      ],
    );
    const merged = mergeUpdate(shown, doc([3600, 10800], [{ name: 'Solar', values: [2, 4] }]));
    expect(merged.t).to.deep.equal([0, 3600, 7200, 10800]);
    expect(merged.series).to.deep.equal([
      { name: 'Solar', values: [1, 2, 3, 4] },
      { name: 'Wind Onshore', values: [5, null, 6, null] },
    ]);
  });

  it('adds a series that appears for the first time', () => {
    const merged = mergeUpdate(
      doc([0], [{ name: 'Solar', values: [1] }]),
      doc([0], [{ name: 'Nuclear', values: [9] }]),
    );
    expect(merged.series).to.deep.equal([
      { name: 'Solar', values: [1] },
      { name: 'Nuclear', values: [9] },
    ]);
  });
});
