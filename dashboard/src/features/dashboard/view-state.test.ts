import { expect } from 'chai';
import {
  DEFAULT_VIEW,
  effectiveResolution,
  parseView,
  resolveRange,
  serializeView,
  type ViewState,
} from './view-state';

const DAY = 86400;

describe('dashboard view state in the URL', () => {
  it('gives the default view for an empty or hostile query string', () => {
    expect(parseView('')).to.deep.equal(DEFAULT_VIEW);
    expect(
      parseView('dataset=prices&area=<script>&range=forever&resolution=PT1S&tz=mars&measure=x&from=nope'),
    ).to.deep.equal(DEFAULT_VIEW);
  });

  it('round-trips every field through the URL', () => {
    const view: ViewState = {
      dataset: 'generation',
      area: 'FR',
      compare: ['DE', 'ES'],
      type: 'Solar',
      partner: 'BE',
      range: { from: Date.UTC(2025, 0, 1) / 1000, to: Date.UTC(2025, 1, 1) / 1000 },
      resolution: 'P1D',
      tz: 'local',
      measure: 'renewableShare',
    };
    expect(parseView(serializeView(view))).to.deep.equal(view);
    expect(parseView(serializeView({ ...DEFAULT_VIEW, range: { preset: '1y' } })).range).to.deep.equal({
      preset: '1y',
    });
    expect(serializeView(DEFAULT_VIEW)).to.equal('');
  });

  it('keeps at most three further areas, without the main one or repeats', () => {
    expect(parseView('area=DE&compare=FR,DE,FR,PL,ES,IT').compare).to.deep.equal(['FR', 'PL', 'ES']);
  });

  it('ends presets at the newest data, on a whole hour, and "all" covers the stored range', () => {
    const last = Date.UTC(2025, 5, 10, 13, 45) / 1000;
    const coverage = { first: Date.UTC(2015, 0, 1, 5) / 1000, last };
    const end = Date.UTC(2025, 5, 10, 14) / 1000;
    expect(resolveRange({ preset: '24h' }, coverage, 0)).to.deep.equal({ from: end - DAY, to: end });
    expect(resolveRange({ preset: 'all' }, coverage, 0)).to.deep.equal({
      from: Date.UTC(2015, 0, 1) / 1000,
      to: end,
    });
    expect(resolveRange({ from: 10, to: 20 }, coverage, 0)).to.deep.equal({ from: 10, to: 20 });
  });

  it('picks a resolution the API serves for the span, and coarsens a choice it would refuse', () => {
    expect(effectiveResolution('auto', 0, 7 * DAY)).to.equal('native');
    expect(effectiveResolution('auto', 0, 365 * DAY)).to.equal('PT60M');
    expect(effectiveResolution('auto', 0, 3 * 365 * DAY)).to.equal('P1D');
    expect(effectiveResolution('auto', 0, 10 * 365 * DAY)).to.equal('P1W');
    expect(effectiveResolution('native', 0, 2 * 365 * DAY)).to.equal('P1D');
    expect(effectiveResolution('P1M', 0, DAY)).to.equal('P1M');
  });
});
