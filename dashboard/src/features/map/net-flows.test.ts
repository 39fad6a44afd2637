import { expect } from 'chai';
import { netFlows } from './net-flows';

describe('map: net flows between countries', function () {
  it('nets the two directions of a border into one arrow the way more power goes', function () {
    expect(
      netFlows([
        { out: 'FR', in: 'DE', mw: 300 },
        { out: 'DE', in: 'FR', mw: 1200 },
        { out: 'ES', in: 'FR', mw: 700 },
      ]),
    ).to.have.deep.members([
      { from: 'DE', to: 'FR', mw: 900 },
      { from: 'ES', to: 'FR', mw: 700 },
    ]);
  });

  it('adds up repeated flows of one direction', function () {
    expect(
      netFlows([
        { out: 'NO', in: 'SE', mw: 100 },
        { out: 'NO', in: 'SE', mw: 50 },
      ]),
    ).to.deep.equal([{ from: 'NO', to: 'SE', mw: 150 }]);
  });

  it('draws nothing for a balanced border, a flow into itself or a missing value', function () {
    expect(
      netFlows([
        { out: 'AT', in: 'CH', mw: 400 },
        { out: 'CH', in: 'AT', mw: 400.2 },
        { out: 'PL', in: 'PL', mw: 5 },
        { out: 'CZ', in: 'SK', mw: Number.NaN },
      ]),
    ).to.deep.equal([]);
  });

  it('turns a negative flow around', function () {
    expect(netFlows([{ out: 'IT', in: 'SI', mw: -250 }])).to.deep.equal([{ from: 'SI', to: 'IT', mw: 250 }]);
  });
});
