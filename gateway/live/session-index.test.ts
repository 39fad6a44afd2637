import { expect } from 'chai';
import type { SeriesRequest } from '../../lib/query/series-request.js';
import type { SeriesKey } from './series-change.js';
import { SessionIndex, watches } from './session-index.js';

const session = (request: Partial<SeriesRequest> & Pick<SeriesRequest, 'dataset' | 'area'>) => ({
  request: { from: 0, to: 1, resolution: 'native' as const, ...request },
});

describe('SessionIndex', () => {
  const solar = session({ dataset: 'generation', area: 'DE', type: 'Solar' });
  const wind = session({ dataset: 'generation', area: 'DE', type: 'Wind Onshore' });
  const everyType = session({ dataset: 'generation', area: 'DE' });
  const loadDe = session({ dataset: 'load', area: 'DE' });
  const deToFr = session({ dataset: 'flows', area: 'DE', in: 'FR' });
  const frToDe = session({ dataset: 'flows', area: 'FR', in: 'DE' });
  const deBorders = session({ dataset: 'flows', area: 'DE' });
  const all = [solar, wind, everyType, loadDe, deToFr, frToDe, deBorders];

  function found(index: SessionIndex<(typeof all)[number]>, key: SeriesKey) {
    const sessions = [...index.matching(key)];
    // The single-session check used by replays must agree with the index.
    expect(all.filter((s) => watches(s.request, key))).to.have.members(sessions);
    return sessions;
  }

  it('finds generation sessions of the change type and those without a type, of that area only', () => {
    const index = new SessionIndex<(typeof all)[number]>();
    for (const s of all) index.add(s);
    expect(found(index, { dataset: 'generation', area: 'DE', type: 'Solar' })).to.have.members([
      solar,
      everyType,
    ]);
    expect(found(index, { dataset: 'generation', area: 'FR', type: 'Solar' })).to.deep.equal([]);
    expect(found(index, { dataset: 'load', area: 'DE' })).to.deep.equal([loadDe]);
  });

  it('tells flow directions apart', () => {
    const index = new SessionIndex<(typeof all)[number]>();
    for (const s of all) index.add(s);
    expect(found(index, { dataset: 'flows', area: 'DE', in: 'FR' })).to.have.members([deToFr, deBorders]);
    expect(found(index, { dataset: 'flows', area: 'FR', in: 'DE' })).to.have.members([frToDe, deBorders]);
    expect(found(index, { dataset: 'flows', area: 'PL', in: 'CZ' })).to.deep.equal([]);
  });

  it('gives a session of every border of an area the flows of both directions of each border', () => {
    const index = new SessionIndex<(typeof all)[number]>();
    for (const s of all) index.add(s);
    expect(found(index, { dataset: 'flows', area: 'DE', in: 'PL' })).to.deep.equal([deBorders]);
    expect(found(index, { dataset: 'flows', area: 'PL', in: 'DE' })).to.deep.equal([deBorders]);
  });

  it('forgets sessions, leaving no empty entries behind', () => {
    const index = new SessionIndex<(typeof all)[number]>();
    for (const s of all) index.add(s);
    for (const s of all) index.delete(s);
    index.delete(solar);
    expect([...index.matching({ dataset: 'generation', area: 'DE', type: 'Solar' })]).to.deep.equal([]);
    expect((index as unknown as { areas: Map<string, unknown> }).areas.size).to.equal(0);
  });
});
