import { expect } from 'chai';
import { describe, it } from 'mocha';
import { wallClockDate, zoneOffsetSeconds } from './time-zone';

const at = (iso: string) => Date.parse(iso) / 1000;

describe('time zones', () => {
  it('knows the offset of a zone on either side of a DST change', () => {
    expect(zoneOffsetSeconds(at('2024-01-15T12:00:00Z'), 'Europe/Berlin')).to.equal(3600);
    expect(zoneOffsetSeconds(at('2024-07-15T12:00:00Z'), 'Europe/Berlin')).to.equal(7200);
    expect(zoneOffsetSeconds(at('2024-03-31T00:59:59Z'), 'Europe/Berlin')).to.equal(3600);
    expect(zoneOffsetSeconds(at('2024-03-31T01:00:00Z'), 'Europe/Berlin')).to.equal(7200);
    expect(zoneOffsetSeconds(at('2024-07-15T12:00:00Z'), 'Europe/London')).to.equal(3600);
    expect(zoneOffsetSeconds(at('2024-07-15T12:00:00Z'), 'UTC')).to.equal(0);
  });

  it('makes a Date whose local fields read the zone’s wall clock', () => {
    const d = wallClockDate(at('2024-07-15T22:30:00Z'), 'Europe/Helsinki');
    expect([d.getFullYear(), d.getMonth(), d.getDate(), d.getHours(), d.getMinutes()]).to.deep.equal([
      2024, 6, 16, 1, 30,
    ]);
    const utc = wallClockDate(at('2024-07-15T22:30:00Z'), 'UTC');
    expect([utc.getDate(), utc.getHours()]).to.deep.equal([15, 22]);
  });
});
