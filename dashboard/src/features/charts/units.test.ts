import { expect } from 'chai';
import { describe, it } from 'mocha';
import { formatEnergy, formatPower, formatPowerExact, formatShare, powerTickLabels } from './units';

describe('units', () => {
  it('formats power compactly, GW from 1,000 MW', () => {
    expect(formatPower(850)).to.equal('850 MW');
    expect(formatPower(12.345)).to.equal('12.3 MW');
    expect(formatPower(1234)).to.equal('1.23 GW');
    expect(formatPower(45231)).to.equal('45.2 GW');
    expect(formatPower(-2500)).to.equal('-2.5 GW');
  });

  it('formats the exact value for the legend, a dash for none', () => {
    expect(formatPowerExact(45231.4)).to.equal('45,231 MW');
    expect(formatPowerExact(12.34)).to.equal('12.3 MW');
    expect(formatPowerExact(null)).to.equal('–');
    expect(formatPowerExact(undefined)).to.equal('–');
  });

  it('formats energy as MWh, GWh or TWh', () => {
    expect(formatEnergy(850)).to.equal('850 MWh');
    expect(formatEnergy(12_345)).to.equal('12.3 GWh');
    expect(formatEnergy(4_560_000)).to.equal('4.56 TWh');
    expect(formatEnergy(512_000_000)).to.equal('512 TWh');
  });

  it('formats shares as percentages', () => {
    expect(formatShare(0.4531)).to.equal('45.3%');
    expect(formatShare(1)).to.equal('100.0%');
  });

  it('labels an axis in one unit with the decimals its step needs', () => {
    expect(powerTickLabels([0, 2500, 5000, 7500])).to.deep.equal(['0.0 GW', '2.5 GW', '5.0 GW', '7.5 GW']);
    expect(powerTickLabels([0, 20000, 40000])).to.deep.equal(['0 GW', '20 GW', '40 GW']);
    expect(powerTickLabels([-500, 0, 500])).to.deep.equal(['-500 MW', '0 MW', '500 MW']);
    expect(powerTickLabels([0, 0.5, 1])).to.deep.equal(['0.0 MW', '0.5 MW', '1.0 MW']);
  });
});
