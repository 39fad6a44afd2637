import { expect } from 'chai';
import { BadRequest } from '../../lib/query/bad-request.js';
import { exportQuery, parseExportRequest } from './export-query.js';

describe('export request', () => {
  const valid = {
    dataset: 'generation',
    area: 'DE',
    type: 'Fossil Brown coal/Lignite',
    from: '2022-01-01',
    to: '2022-01-02T12:00Z',
  };

  it('accepts ISO dates and date-times, a bare date meaning 00:00 UTC', () => {
    const r = parseExportRequest(valid);
    expect(r).to.include({
      dataset: 'generation',
      area: 'DE',
      type: 'Fossil Brown coal/Lignite',
      from: '2022-01-01T00:00:00.000Z',
      to: '2022-01-02T12:00:00.000Z',
      format: 'csv',
    });
  });

  it('names the bad parameter', () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ ...valid, dataset: 'prices' }, 'dataset'],
      [{ ...valid, area: "DE'; DROP TABLE load; --" }, 'area'],
      [{ ...valid, type: 'Unicorn' }, 'type'],
      [{ ...valid, dataset: 'load' }, 'type'],
      [{ ...valid, in: 'FR' }, 'in'],
      [{ ...valid, from: '01/01/2022' }, 'from'],
      [{ ...valid, to: '2021-12-31' }, 'to'],
      [{ ...valid, format: 'xml' }, 'format'],
      [{ ...valid, areaType: 'XYZ' }, 'areaType'],
    ];
    for (const [params, parameter] of cases) {
      expect(() => parseExportRequest(params))
        .to.throw(BadRequest)
        .with.property('parameter', parameter);
    }
  });

  it('puts every user value in query parameters, never in the SQL text', () => {
    const r = parseExportRequest({
      dataset: 'flows',
      area: 'DE',
      in: 'FR',
      from: '2022-01-01',
      to: '2022-01-02',
    });
    const { query, params } = exportQuery({ database: 'energylive' }, r);
    expect(query).to.not.include("'DE'");
    expect(query).to.not.include("'FR'");
    expect(params).to.include({ area: 'DE', in: 'FR' });
  });
});
