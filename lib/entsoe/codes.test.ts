import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { COUNTRY_MAP_CODES, MAP_CODES, isAreaCode, isEic } from './codes.js';

const SAMPLES = path.resolve(import.meta.dirname, '../../../shared/entsoe/samples');

/** Every (MapCode, AreaCode, AreaTypeCode) of the real sample files, read as plain TSV by header name. */
function sampleAreas(): { mapCode: string; areaCode: string; type: string }[] {
  if (!fs.existsSync(SAMPLES)) return [];
  const seen = new Map<string, { mapCode: string; areaCode: string; type: string }>();
  const files = (fs.readdirSync(SAMPLES, { recursive: true }) as string[]).filter(
    (f) => f.endsWith('.csv') && !f.endsWith('countries_data.csv'),
  );
  for (const file of files) {
    const [header, ...lines] = fs
      .readFileSync(path.join(SAMPLES, file), 'utf8')
      .replace(/^\uFEFF/, '')
      .split(/\r?\n/);
    const names = (header ?? '').split('\t');
    for (const side of ['', 'Out', 'In']) {
      const code = names.indexOf(`${side}AreaCode`);
      const map = names.indexOf(`${side}MapCode`);
      const type = names.indexOf(`${side}AreaTypeCode`);
      if (code < 0 || map < 0 || type < 0) continue;
      for (const line of lines) {
        const f = line.split('\t');
        if (f.length !== names.length) continue;
        const area = { mapCode: f[map] as string, areaCode: f[code] as string, type: f[type] as string };
        seen.set(`${area.mapCode} ${area.areaCode} ${area.type}`, area);
      }
    }
  }
  return [...seen.values()];
}

describe('ENTSO-E codes', () => {
  it('checks the EIC check character', () => {
    expect(isEic('10YAT-APG------L')).to.equal(true);
    expect(isEic('10Y1001A1001A83F')).to.equal(true);
    expect(isEic('17Y0000009369493')).to.equal(true);
    // One character changed, the check character no longer fits.
    expect(isEic('10YAT-APG------M')).to.equal(false);
    expect(isEic('10YAT-APH------L')).to.equal(false);
    expect(isEic('10Y1001A1001A83')).to.equal(false);
    expect(isEic('10y1001a1001a83f')).to.equal(false);
    expect(isEic('10Y1001A1001A83F0')).to.equal(false);
  });

  it('accepts a short AreaCode only where a real file has one: a country whose code is its MapCode', () => {
    expect(isAreaCode('RU', 'RU')).to.equal(true);
    expect(isAreaCode('BY', 'BY')).to.equal(true);
    expect(isAreaCode('DE', 'FR')).to.equal(false);
    expect(isAreaCode('FR', 'FR')).to.equal(false);
    expect(isAreaCode('DE_LU', 'DE_LU')).to.equal(false);
    expect(isAreaCode('2R', '2R')).to.equal(false);
  });

  it('lists the 44 countries of the course list and the zones of the real files', () => {
    expect(COUNTRY_MAP_CODES.size).to.equal(44);
    for (const code of ['DE_LU', 'DE_AT_LU', 'IT-Calabria', 'UA_DobTPP', 'GB_IFA2', 'NIE', 'RU_KGD'])
      expect(MAP_CODES.has(code), code).to.equal(true);
    for (const code of ['2R', 'DE ', 'de', 'XX', 'DE_AT']) expect(MAP_CODES.has(code), code).to.equal(false);
  });

  describe('the real samples (../shared/entsoe/samples)', () => {
    const areas = sampleAreas();
    if (areas.length === 0) it.skip('no samples folder beside the repository');
    else {
      it(`knows every one of the ${areas.length} areas the samples carry, with a valid code`, () => {
        const unknown = areas.filter((a) => !MAP_CODES.has(a.mapCode) || !isAreaCode(a.areaCode, a.mapCode));
        expect(unknown).to.deep.equal([]);
        // Short codes are deliberate exceptions, not a loophole: they are the CTY rows of two countries.
        const short = areas.filter((a) => !isEic(a.areaCode));
        expect(short.map((a) => `${a.areaCode} ${a.type}`).sort()).to.deep.equal(['BY CTY', 'RU CTY']);
      });
    }
  });
});
