import { expect } from 'chai';
import { BadRequest } from './bad-request.js';
import { bucketStart, nextBucket, RESOLUTIONS, type Resolution } from './buckets.js';
import {
  bucketCount,
  checkSeriesPoints,
  checkStatsPoints,
  MAX_POINTS,
  MAX_STATS_POINTS,
} from './answer-limits.js';
import type { SeriesRequest } from './series-request.js';

const epoch = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 1000;
const request = (from: string, to: string, resolution: Resolution): SeriesRequest => ({
  dataset: 'generation',
  area: 'DE',
  from: epoch(from),
  to: epoch(to),
  resolution,
});

function refusal(check: () => void): BadRequest {
  try {
    check();
  } catch (err) {
    if (err instanceof BadRequest) return err;
    throw err;
  }
  throw new Error('accepted');
}

describe('answer limits', () => {
  it('counts the buckets of the grid a rolled-up answer has, and quarter-hours for a native one', () => {
    for (const resolution of RESOLUTIONS.filter((r) => r !== 'native')) {
      for (const [from, to] of [
        [epoch('2022-01-01') + 600, epoch('2022-03-01') + 1],
        [epoch('2021-12-27'), epoch('2022-01-03')],
        [epoch('1970-01-05'), epoch('1971-07-17') + 7],
      ] as const) {
        let grid = 0;
        for (let b = bucketStart(from, resolution); b < to; b = nextBucket(b, resolution)) grid++;
        expect(bucketCount(from, to, resolution), `${resolution} ${from}`).to.equal(grid);
      }
    }
    expect(bucketCount(epoch('2022-01-01'), epoch('2023-01-01'), 'native')).to.equal(35_040);
  });

  it('serves what the dashboard asks for: a year of quarter-hours of 16 types, ten years daily, every border', () => {
    expect(() => {
      checkSeriesPoints(request('2022-01-01', '2023-01-01', 'native'), 16);
    }).to.not.throw();
    expect(() => {
      checkSeriesPoints(request('2022-01-01', '2023-01-01', 'PT15M'), 16);
    }).to.not.throw();
    expect(() => {
      checkSeriesPoints(request('2012-01-01', '2022-01-01', 'P1D'), 16);
    }).to.not.throw();
    expect(() => {
      checkSeriesPoints({ ...request('2022-01-01', '2023-02-04', 'native'), dataset: 'flows' }, 22);
    }).to.not.throw();
    expect(() => {
      checkStatsPoints(request('2012-01-01', '2022-01-01', 'P1M'), 16);
    }).to.not.throw();
  });

  it('refuses a larger answer before it is built, naming the resolution that would fit or else the range', () => {
    const daily = refusal(() => {
      checkSeriesPoints(request('1970-01-01', '2106-01-01', 'P1D'), 22);
    });
    expect(daily.parameter).to.equal('resolution');
    expect(daily.message).to.include('1,000,000').and.include('ask for P1W or coarser');
    const monthly = refusal(() => {
      checkSeriesPoints(request('1970-01-01', '2106-01-01', 'P1M'), 1000);
    });
    expect(monthly.parameter).to.equal('to');
    expect(monthly.message).to.include(MAX_POINTS.toLocaleString('en-US'));
    const stats = refusal(() => {
      checkStatsPoints(request('1992-01-01', '2022-01-01', 'P1M'), 16);
    });
    expect(stats.parameter).to.equal('to');
    expect(stats.message).to.include(MAX_STATS_POINTS.toLocaleString('en-US'));
  });
});
