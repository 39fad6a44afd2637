import { expect } from 'chai';
import { MAP_CODES, PRODUCTION_TYPES, isEic } from '../entsoe/codes.js';
import { AREAS, BORDERS, COUNTRIES, QUARTERS_PER_INTERVAL, type AreaType } from './catalog.js';

const area = (type: AreaType, mapCode: string) => {
  const found = AREAS.find((a) => a.type === type && a.mapCode === mapCode);
  if (!found) throw new Error(`no ${type} ${mapCode}`);
  return found;
};

const rowsPerHour = (resolution: keyof typeof QUARTERS_PER_INTERVAL) => 4 / QUARTERS_PER_INTERVAL[resolution];

describe('demo catalog', function () {
  it('has 30 to 40 countries, each with a CTY area, and real-looking 16-character EIC codes', function () {
    expect(COUNTRIES.length).to.be.within(30, 40);
    for (const country of COUNTRIES) expect(area('CTY', country.mapCode).country).to.equal(country);
    for (const a of AREAS) {
      expect(isEic(a.code), `${a.type} ${a.mapCode} ${a.code}`).to.equal(true);
      // The parser refuses codes it does not know: the demo must publish only known ones.
      expect(MAP_CODES.has(a.mapCode), a.mapCode).to.equal(true);
    }
    expect(area('CTA', 'DE_50HzT').code).to.equal('10YDE-VE-------2');
    expect(area('CTY', 'AT').code).to.equal(area('BZN', 'AT').code);
  });

  it('names areas in the legacy style: `DE CTY`, `DE(TenneT DE) CTA`, `UK CTY` for GB', function () {
    expect(area('CTY', 'DE').name).to.equal('DE CTY');
    expect(area('CTA', 'DE_TenneT_GER').name).to.equal('DE(TenneT DE) CTA');
    expect(area('CTY', 'GB').name).to.equal('UK CTY');
    expect(area('BZN', 'FR').name).to.equal('FR BZN');
    for (const a of AREAS) expect(a.name.endsWith(` ${a.type}`), a.name).to.equal(true);
  });

  it('has each country as CTY plus its bidding zones and control areas, split where the real ones are', function () {
    const mapCodes = (type: AreaType, country: string) =>
      AREAS.filter((a) => a.type === type && a.country.mapCode === country).map((a) => a.mapCode);
    expect(mapCodes('BZN', 'DE')).to.deep.equal(['DE_LU']);
    expect(mapCodes('CTA', 'DE')).to.deep.equal(['DE_50HzT', 'DE_Amprion', 'DE_TenneT_GER', 'DE_TransnetBW']);
    expect(mapCodes('BZN', 'FR')).to.deep.equal(['FR']);
    expect(mapCodes('CTA', 'FR')).to.deep.equal(['FR']);
    expect(mapCodes('BZN', 'IT')).to.include.members([
      'IT-NORTH',
      'IT-CNORTH',
      'IT-CSOUTH',
      'IT-SOUTH',
      'IT-Sicily',
    ]);
    expect(mapCodes('BZN', 'DK')).to.deep.equal(['DK1', 'DK2']);
    expect(mapCodes('BZN', 'NO')).to.deep.equal(['NO1', 'NO2', 'NO3', 'NO4', 'NO5']);
    expect(mapCodes('BZN', 'SE')).to.deep.equal(['SE1', 'SE2', 'SE3', 'SE4']);
  });

  it('gives each series its own resolution: AT CTY load quarter-hourly but AT BZN hourly, CY and IE half-hourly', function () {
    expect(area('CTY', 'AT').load?.resolution).to.equal('PT15M');
    expect(area('CTA', 'AT').load?.resolution).to.equal('PT15M');
    expect(area('BZN', 'AT').load?.resolution).to.equal('PT60M');
    for (const code of ['BE', 'DE', 'HU', 'NL', 'RO'])
      expect(area('CTY', code).load?.resolution).to.equal('PT15M');
    for (const code of ['CY', 'IE']) expect(area('CTY', code).load?.resolution).to.equal('PT30M');
    for (const code of ['FR', 'ES', 'PL', 'IT']) expect(area('CTY', code).load?.resolution).to.equal('PT60M');
    expect(area('CTY', 'BE').generation?.resolution).to.equal('PT60M');
  });

  it('uses production types from codes.ts, 2 to 20 per country', function () {
    const counts = COUNTRIES.filter((c) => c.generation.size > 0).map((c) => c.generation.size);
    expect(Math.min(...counts)).to.equal(2);
    expect(Math.max(...counts)).to.equal(20);
    for (const a of AREAS) {
      for (const { productionType } of a.generation?.types ?? [])
        expect(PRODUCTION_TYPES.has(productionType)).to.equal(true);
    }
  });

  it('pairs flows like with like, in both directions', function () {
    const keys = new Set(BORDERS.map((b) => `${b.type} ${b.out.mapCode}>${b.in.mapCode}`));
    expect(keys.size).to.equal(BORDERS.length);
    for (const border of BORDERS) {
      expect(border.out.type).to.equal(border.type);
      expect(border.in.type).to.equal(border.type);
      expect(keys.has(`${border.type} ${border.in.mapCode}>${border.out.mapCode}`)).to.equal(true);
    }
    expect(new Set(BORDERS.map((b) => b.type))).to.deep.equal(new Set(['CTY', 'BZN', 'CTA']));
  });

  it('splits a CTY border over the zone borders it consists of', function () {
    const shares = BORDERS.filter(
      (b) => b.type === 'CTA' && b.link.key === 'AT/DE' && b.out.mapCode === 'AT',
    );
    expect(shares.map((b) => b.in.mapCode)).to.deep.equal(['DE_Amprion', 'DE_TenneT_GER', 'DE_TransnetBW']);
    expect(shares.reduce((sum, b) => sum + b.weight, 0)).to.be.closeTo(1, 1e-9);
    expect(shares.every((b) => b.direction === 1)).to.equal(true);
  });

  it('is sized like the real files: about 205 load, 1,800 generation and 700 flow rows per hour', function () {
    let load = 0;
    let generation = 0;
    for (const a of AREAS) {
      if (a.load) load += rowsPerHour(a.load.resolution);
      if (a.generation) generation += a.generation.types.length * rowsPerHour(a.generation.resolution);
    }
    const flows = BORDERS.reduce((sum, b) => sum + rowsPerHour(b.resolution), 0);
    expect(load).to.be.within(195, 215);
    expect(generation).to.be.within(1700, 1850);
    expect(flows).to.be.within(650, 780);
    // A 31-day generation month: about 1.3 million rows.
    expect(generation * 24 * 31).to.be.within(1.25e6, 1.38e6);
  });
});
