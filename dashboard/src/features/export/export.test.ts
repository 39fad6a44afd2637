import { expect } from 'chai';
import { describe, it } from 'mocha';
import { seriesToCsv, seriesToJson } from './export';

const at = (iso: string) => Date.parse(iso) / 1000;

describe('seriesToCsv', () => {
  const t = [at('2024-03-31T00:00:00Z'), at('2024-03-31T00:30:00Z'), at('2024-03-31T01:00:00Z')];

  it('writes a time column in UTC and one column per series, empty where a value is missing', () => {
    const csv = seriesToCsv(
      t,
      [
        { name: 'DE', values: [50000, null, 50002.5] },
        { name: 'FR', values: [null, 1, 2] },
      ],
      'UTC',
    );
    expect(csv).to.equal(
      'time,DE,FR\n' +
        '2024-03-31T00:00:00Z,50000,\n' +
        '2024-03-31T00:30:00Z,,1\n' +
        '2024-03-31T01:00:00Z,50002.5,2\n',
    );
  });

  it('writes local times with their offset across a clock change', () => {
    const csv = seriesToCsv(t, [{ name: 'DE', values: [1, 2, 3] }], 'Europe/Berlin');
    expect(csv.split('\n').slice(1, 4)).to.deep.equal([
      '2024-03-31T01:00:00+01:00,1',
      '2024-03-31T01:30:00+01:00,2',
      '2024-03-31T03:00:00+02:00,3',
    ]);
  });

  it('quotes names that need it', () => {
    const csv = seriesToCsv([0], [{ name: 'Fossil "Gas", other', values: [1] }], 'UTC');
    expect(csv.split('\n')[0]).to.equal('time,"Fossil ""Gas"", other"');
  });

  it('writes a year of quarter hours of 16 series quickly', () => {
    const n = 35_040;
    const times = Array.from({ length: n }, (_, i) => at('2024-01-01T00:00:00Z') + i * 900);
    const series = Array.from({ length: 16 }, (_, k) => ({
      name: `S${k}`,
      values: times.map((_, i) => i * 0.5),
    }));
    const started = performance.now();
    const csv = seriesToCsv(times, series, 'Europe/Berlin');
    expect(performance.now() - started).to.be.below(2000);
    const lines = csv.split('\n');
    expect(lines).to.have.length(n + 2);
    expect(lines[1]?.startsWith('2024-01-01T01:00:00+01:00,0,')).to.equal(true);
    expect(lines[n]?.startsWith('2024-12-31T00:45:00+01:00,')).to.equal(true);
  });
});

describe('seriesToJson', () => {
  it('writes the API’s columnar shape', () => {
    const json = seriesToJson({
      dataset: 'flows',
      area: 'DE',
      in: 'FR',
      resolution: 'PT60M',
      t: [0, 3600],
      series: [{ name: 'DE→FR', values: [1, null] }],
    });
    expect(JSON.parse(json)).to.deep.equal({
      dataset: 'flows',
      area: 'DE',
      in: 'FR',
      resolution: 'PT60M',
      unit: 'MW',
      t: [0, 3600],
      series: [{ name: 'DE→FR', values: [1, null] }],
    });
    expect(json.endsWith('\n')).to.equal(true);
    expect(
      JSON.parse(seriesToJson({ dataset: 'load', area: 'DE', resolution: 'native', t: [], series: [] })),
    ).not.to.have.property('in');
  });
});
