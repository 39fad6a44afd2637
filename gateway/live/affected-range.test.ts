import { expect } from 'chai';
import { affectedRange, cover } from './affected-range.js';

const at = (iso: string) => Date.parse(iso) / 1000;
const range = (from: string, to: string) => ({ from: at(from), to: at(to) });

describe('affectedRange', () => {
  const day = range('2024-01-01T00:00Z', '2024-01-02T00:00Z');

  it('keeps the overlap as it is at native resolution', () => {
    const change = range('2023-12-31T23:00Z', '2024-01-01T00:30Z');
    expect(affectedRange({ ...day, resolution: 'native' }, change)).to.deep.equal(
      range('2024-01-01T00:00Z', '2024-01-01T00:30Z'),
    );
  });

  it('widens the overlap to whole buckets of the session resolution', () => {
    const change = range('2024-01-01T10:15Z', '2024-01-01T10:45Z');
    expect(affectedRange({ ...day, resolution: 'PT60M' }, change)).to.deep.equal(
      range('2024-01-01T10:00Z', '2024-01-01T11:00Z'),
    );
    expect(
      affectedRange({ ...day, resolution: 'PT60M' }, range('2024-01-01T10:00Z', '2024-01-01T11:00Z')),
    ).to.deep.equal(range('2024-01-01T10:00Z', '2024-01-01T11:00Z'));
  });

  it('widens to weeks starting on Monday and to calendar months', () => {
    const year = range('2024-01-01T00:00Z', '2025-01-01T00:00Z');
    const change = range('2024-02-29T12:00Z', '2024-02-29T12:15Z');
    expect(affectedRange({ ...year, resolution: 'P1W' }, change)).to.deep.equal(
      range('2024-02-26T00:00Z', '2024-03-04T00:00Z'),
    );
    expect(affectedRange({ ...year, resolution: 'P1M' }, change)).to.deep.equal(
      range('2024-02-01T00:00Z', '2024-03-01T00:00Z'),
    );
  });

  it('clips the widened range to the session range', () => {
    const session = { ...range('2024-01-01T06:00Z', '2024-01-01T10:30Z'), resolution: 'P1D' as const };
    expect(affectedRange(session, range('2024-01-01T10:15Z', '2024-01-01T10:45Z'))).to.deep.equal(
      range('2024-01-01T06:00Z', '2024-01-01T10:30Z'),
    );
  });

  it('finds nothing for a change that only touches the session range at an end (half-open ranges)', () => {
    expect(affectedRange({ ...day, resolution: 'PT60M' }, range('2024-01-02T00:00Z', '2024-01-02T01:00Z'))).to
      .be.null;
    expect(affectedRange({ ...day, resolution: 'native' }, range('2023-12-31T23:00Z', '2024-01-01T00:00Z')))
      .to.be.null;
  });

  it('covers two ranges with one, gaps included', () => {
    expect(cover(undefined, { from: 5, to: 6 })).to.deep.equal({ from: 5, to: 6 });
    expect(cover({ from: 5, to: 6 }, { from: 1, to: 2 })).to.deep.equal({ from: 1, to: 6 });
  });
});
