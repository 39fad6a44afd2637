import { expect } from 'chai';
import { areaTimeZone } from './area-time-zone';

describe("an area's local time zone", () => {
  it('takes bidding zones and control areas from their country', () => {
    expect(areaTimeZone('DE')).to.equal('Europe/Berlin');
    expect(areaTimeZone('DE_LU')).to.equal('Europe/Berlin');
    expect(areaTimeZone('IT-NORTH')).to.equal('Europe/Rome');
    expect(areaTimeZone('DK1')).to.equal('Europe/Copenhagen');
    expect(areaTimeZone('NO2')).to.equal('Europe/Oslo');
  });

  it('falls back to UTC for an area it does not know, and every zone it names exists', () => {
    expect(areaTimeZone('ZZ')).to.equal('UTC');
    for (const code of ['PT', 'IE', 'GB', 'TR', 'UA', 'CY', 'IS', 'XK']) {
      expect(() => new Intl.DateTimeFormat('en', { timeZone: areaTimeZone(code) })).not.to.throw();
    }
  });
});
