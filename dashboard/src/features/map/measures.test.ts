import { expect } from 'chai';
import { formatMeasure, formatTick } from './measures';

describe('map: measure values as text', function () {
  it('shows load in MW, renewable share in percent, net import with its direction', function () {
    expect(formatMeasure('load', 54321.4)).to.equal('Load: 54,321 MW');
    expect(formatMeasure('renewableShare', 0.434)).to.equal('Renewable share: 43%');
    expect(formatMeasure('netImport', 1200)).to.equal('Net import: 1,200 MW');
    expect(formatMeasure('netImport', -800)).to.equal('Net export: 800 MW');
    expect(formatMeasure('netImport', 0.2)).to.equal('Imports and exports balance');
  });

  it('signs net import ticks and keeps the others plain', function () {
    expect(formatTick('netImport', -1500)).to.equal('−1,500');
    expect(formatTick('netImport', 1500)).to.equal('+1,500');
    expect(formatTick('netImport', 0)).to.equal('0');
    expect(formatTick('load', 60000)).to.equal('60,000');
    expect(formatTick('renewableShare', 0.5)).to.equal('50%');
  });
});
