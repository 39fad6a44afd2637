import { expect } from 'chai';
import { describe, it } from 'mocha';
import { PRODUCTION_TYPES } from '../../../../lib/entsoe/codes';
import { RENEWABLE_TYPES } from '../../../../lib/entsoe/renewables';
import { renewableShare } from './renewables';

describe('renewables', () => {
  it('names only ENTSO-E production types', () => {
    for (const type of RENEWABLE_TYPES) expect(PRODUCTION_TYPES.has(type), type).to.equal(true);
  });

  it('leaves storage, waste and fossil out', () => {
    for (const type of [
      'Hydro Pumped Storage',
      'Energy storage',
      'Waste',
      'Other',
      'Nuclear',
      'Fossil Gas',
    ]) {
      expect(RENEWABLE_TYPES.has(type), type).to.equal(false);
    }
  });

  it('adds the renewable shares', () => {
    expect(
      renewableShare({ Solar: 0.2, 'Wind Onshore': 0.3, 'Fossil Gas': 0.4, 'Hydro Pumped Storage': 0.1 }),
    ).to.be.closeTo(0.5, 1e-12);
    expect(renewableShare({})).to.equal(null);
    expect(renewableShare(undefined)).to.equal(null);
  });
});
