import { expect } from 'chai';
import { parseExportRequest } from '../../actors/query/export-query.js';
import { BadRequest } from './bad-request.js';
import { parseSeriesRequest, parseStatsRequest } from './series-request.js';

const epoch = (iso: string) => Date.parse(iso) / 1000;

function refused(parse: () => unknown, parameter: string): string {
  try {
    parse();
  } catch (err) {
    expect(err).to.be.instanceOf(BadRequest);
    expect((err as BadRequest).parameter).to.equal(parameter);
    return (err as BadRequest).message;
  }
  throw new Error(`accepted, expected a refusal naming ${parameter}`);
}

describe('series request: the span the engine stores', () => {
  const load = { dataset: 'load', area: 'DE' };
  const parsers: [string, (p: Record<string, unknown>) => unknown][] = [
    ['series', (p) => parseSeriesRequest({ ...load, resolution: 'P1M', ...p })],
    ['stats', (p) => parseStatsRequest({ ...load, ...p })],
    ['export', (p) => parseExportRequest({ ...load, ...p })],
  ];

  for (const [name, parse] of parsers) {
    it(`${name}: refuses a start before 1970 and an end after 2106-01-01, naming the parameter`, () => {
      expect(refused(() => parse({ from: '1969-12-31', to: '2022-01-01' }), 'from')).to.include('1970-01-01');
      expect(refused(() => parse({ from: '1970-01-01T00:00+01:00', to: '2022-01-01' }), 'from')).to.include(
        '1970-01-01',
      );
      expect(refused(() => parse({ from: '2022-01-01', to: '2107-01-01' }), 'to')).to.include('2106-01-01');
      expect(refused(() => parse({ from: '2022-01-01', to: '9999-12-31' }), 'to')).to.include('2106-01-01');
      expect(() => parse({ from: '1970-01-01', to: '2106-01-01' })).to.not.throw();
    });
  }

  it('keeps every bucket grid inside the span: weeks start on Monday, the first one on 1970-01-05', () => {
    const range = { from: '1970-01-01', to: '1971-01-01' };
    expect(refused(() => parseSeriesRequest({ ...load, ...range, resolution: 'P1W' }), 'from')).to.include(
      '1970-01-05',
    );
    expect(parseSeriesRequest({ ...load, ...range, from: '1970-01-05', resolution: 'P1W' }).from).to.equal(
      epoch('1970-01-05T00:00:00Z'),
    );
    for (const resolution of ['P1D', 'P1M'])
      expect(parseSeriesRequest({ ...load, ...range, resolution }).from).to.equal(0);
  });
});
