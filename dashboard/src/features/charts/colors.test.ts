import { expect } from 'chai';
import { describe, it } from 'mocha';
import { PRODUCTION_TYPES } from '../../../../lib/entsoe/codes';
import { isProductionType, productionTypeColor, productionTypeRank, seriesColor } from './colors';

describe('colours', () => {
  it('gives every ENTSO-E production type its own colour and a place in the stack', () => {
    const colors = [...PRODUCTION_TYPES].map(productionTypeColor);
    expect(new Set(colors).size).to.equal(PRODUCTION_TYPES.size);
    const ranks = [...PRODUCTION_TYPES].map(productionTypeRank);
    expect(new Set(ranks).size).to.equal(PRODUCTION_TYPES.size);
    expect(Math.max(...ranks)).to.be.below(PRODUCTION_TYPES.size);
  });

  it('stacks steady sources under weather-driven ones and unknown types on top', () => {
    expect(productionTypeRank('Nuclear')).to.be.below(productionTypeRank('Solar'));
    expect(productionTypeRank('Fossil Gas')).to.be.below(productionTypeRank('Wind Onshore'));
    expect(productionTypeRank('Something new')).to.be.above(productionTypeRank('Solar'));
    expect(productionTypeColor('Something new')).to.match(/^#[0-9a-f]{6}$/);
    expect(isProductionType('Solar')).to.equal(true);
    expect(isProductionType('DE')).to.equal(false);
  });

  it('gives four compared areas four different colours', () => {
    expect(new Set([0, 1, 2, 3].map(seriesColor)).size).to.equal(4);
    expect(seriesColor(10)).to.equal(seriesColor(0));
  });
});
