import { expect } from 'chai';
import { describe, it } from 'mocha';
import { formatOffset, formatWhen, netLabel, profileInZone, sumProfiles } from './stats-format';

const at = (iso: string) => Date.parse(iso) / 1000;

describe('stats formatting', () => {
  it('says when in the chosen zone', () => {
    expect(formatWhen(at('2024-01-03T03:00:00Z'), 'UTC')).to.equal('3 Jan 2024, 03:00');
    expect(formatWhen(at('2024-01-03T03:00:00Z'), 'Europe/Berlin')).to.equal('3 Jan 2024, 04:00');
    expect(formatWhen(at('2024-07-31T23:15:00Z'), 'Europe/Athens')).to.equal('1 Aug 2024, 02:15');
  });

  it('names offsets', () => {
    expect(formatOffset(0)).to.equal('UTC');
    expect(formatOffset(7200)).to.equal('UTC+2');
    expect(formatOffset(-12600)).to.equal('UTC-3:30');
  });

  it('adds profiles hour by hour', () => {
    const a = Array.from({ length: 24 }, (_, h) => (h === 3 ? null : h));
    const b = Array.from({ length: 24 }, () => 100);
    const none = Array.from({ length: 24 }, () => null);
    const sum = sumProfiles([a, b, none]);
    expect(sum[0]).to.equal(100);
    expect(sum[3]).to.equal(100);
    expect(sum[23]).to.equal(123);
    expect(sumProfiles([none])[5]).to.equal(null);
  });

  it('turns a UTC profile to the zone’s hours', () => {
    const utc = Array.from({ length: 24 }, (_, h) => h);
    const summer = profileInZone(utc, 'Europe/Berlin', at('2024-07-01T00:00:00Z'));
    expect(summer.offsetSeconds).to.equal(7200);
    // 02:00 in Berlin in summer is 00:00 UTC.
    expect(summer.values[2]).to.equal(0);
    expect(summer.values[0]).to.equal(22);
    expect(profileInZone(utc, 'UTC', 0).values).to.deep.equal(utc);
    const india = profileInZone(utc, 'Asia/Kolkata', at('2024-07-01T00:00:00Z'));
    expect(india).to.deep.equal({ values: utc, offsetSeconds: 0 });
  });

  it('puts a balance in words', () => {
    expect(netLabel(1500)).to.equal('net import 1.5 GWh');
    expect(netLabel(-250)).to.equal('net export 250 MWh');
  });
});
