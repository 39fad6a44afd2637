import { expect } from 'chai';
import { seriesChanges } from './series-change.js';

const at = (iso: string) => Date.parse(iso) / 1000;
const from = '2024-01-01T10:00:00.000Z';
const to = '2024-01-01T11:00:00.000Z';

describe('seriesChanges', () => {
  it('keys load and generation by map code (and production type), flows by out and in map code', () => {
    expect(
      seriesChanges({
        dataset: 'generation',
        changes: [
          {
            series: { area_type: 'CTY', map_code: 'DE', production_type: 'Solar' },
            resolution: 'PT15M',
            from,
            to,
          },
        ],
      }),
    ).to.deep.equal([{ dataset: 'generation', area: 'DE', type: 'Solar', from: at(from), to: at(to) }]);
    expect(
      seriesChanges({
        dataset: 'flows',
        changes: [
          {
            series: { out_area_type: 'CTY', out_map_code: 'DE', in_area_type: 'BZN', in_map_code: 'FR' },
            resolution: 'PT15M',
            from,
            to,
          },
        ],
      }),
    ).to.deep.equal([{ dataset: 'flows', area: 'DE', in: 'FR', from: at(from), to: at(to) }]);
    expect(
      seriesChanges({
        dataset: 'load',
        changes: [{ series: { area_type: 'BZN', map_code: 'DE_LU' }, from, to }],
      }),
    ).to.deep.equal([{ dataset: 'load', area: 'DE_LU', type: undefined, from: at(from), to: at(to) }]);
  });

  it('leaves out malformed ranges and rejects a message that is not an "import done"', () => {
    expect(
      seriesChanges({
        dataset: 'load',
        changes: [
          null,
          { series: { map_code: 'DE' }, from: 'soon', to },
          { series: { map_code: 'FR' }, from: to, to: from },
        ],
      }),
    ).to.deep.equal([]);
    expect(() => seriesChanges({ dataset: 'prices', changes: [] })).to.throw(/import done/);
    expect(() => seriesChanges(null)).to.throw(/import done/);
  });
});
