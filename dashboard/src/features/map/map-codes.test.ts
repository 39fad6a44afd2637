import { expect } from 'chai';
import type { GeometryCollection, Topology } from 'topojson-specification';
import countries110m from 'world-atlas/countries-110m.json' with { type: 'json' };
import countries50m from 'world-atlas/countries-50m.json' with { type: 'json' };
import { BORDERS, COUNTRIES } from '../../../../lib/demo/catalog';
import { MAP_CODE } from '../../../../lib/entsoe/codes';
import { ENTSOE_COUNTRIES, countryName, entsoeCountryOf } from './map-codes';

/** MapCode → names of the Natural Earth features tagged with it. */
function tagged(topology: Topology): Map<string, string[]> {
  const countries = topology.objects['countries'] as GeometryCollection<{ name: string }>;
  const result = new Map<string, string[]>();
  for (const geometry of countries.geometries) {
    const { name = '' } = (geometry.properties ?? {}) as { name?: string };
    const country = entsoeCountryOf(geometry.id === undefined ? undefined : String(geometry.id), name);
    if (country) result.set(country.mapCode, [...(result.get(country.mapCode) ?? []), name]);
  }
  return result;
}

describe('map: ENTSO-E MapCodes of Natural Earth countries', function () {
  const in50m = tagged(countries50m as unknown as Topology);
  const in110m = tagged(countries110m as unknown as Topology);

  it('lists each ENTSO-E country once, with a well-formed MapCode', function () {
    const codes = ENTSOE_COUNTRIES.map((c) => c.mapCode);
    expect(new Set(codes).size).to.equal(codes.length);
    for (const code of codes)
      expect(code)
        .to.match(MAP_CODE)
        .and.match(/^[A-Z]{2}$/);
  });

  it('finds every ENTSO-E country in the 1:50m shapes, Kosovo by name', function () {
    expect([...in50m.keys()].sort()).to.deep.equal(ENTSOE_COUNTRIES.map((c) => c.mapCode).sort());
    expect(in50m.get('XK')).to.deep.equal(['Kosovo']);
    expect(in50m.get('GB')).to.deep.equal(['United Kingdom']);
    expect(in50m.get('MK')).to.deep.equal(['Macedonia']);
  });

  it('draws territories inside a grid with their country and keeps Northern Cyprus apart', function () {
    expect(in50m.get('FI')).to.have.members(['Finland', 'Åland']);
    expect(in50m.get('IT')).to.have.members(['Italy', 'San Marino', 'Vatican']);
    expect(in50m.get('FR')).to.have.members(['France', 'Monaco']);
    expect(in50m.get('CY')).to.deep.equal(['Cyprus']);
  });

  it('finds all but Malta in the coarser 1:110m shapes too', function () {
    const missing = ENTSOE_COUNTRIES.map((c) => c.mapCode).filter((code) => !in110m.has(code));
    expect(missing).to.deep.equal(['MT']);
  });

  it('covers every country of the demo publisher and every country its flows cross into', function () {
    const known = new Set(ENTSOE_COUNTRIES.map((c) => c.mapCode));
    for (const country of COUNTRIES) expect(known, country.mapCode).to.include(country.mapCode);
    for (const border of BORDERS.filter((b) => b.type === 'CTY')) {
      expect(known, border.out.mapCode).to.include(border.out.mapCode);
      expect(known, border.in.mapCode).to.include(border.in.mapCode);
    }
  });

  it('names countries by MapCode and falls back to the code', function () {
    expect(countryName('DE')).to.equal('Germany');
    expect(countryName('DE_LU')).to.equal('DE_LU');
  });
});
