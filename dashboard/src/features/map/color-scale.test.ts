import { expect } from 'chai';
import { colorScale, type Theme } from './color-scale';
import type { MapMeasure } from './measures';

/** WCAG relative luminance of `#rrggbb`. */
function luminance(hex: string): number {
  const channel = (i: number) => {
    const c = Number.parseInt(hex.slice(1 + 2 * i, 3 + 2 * i), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(0) + 0.7152 * channel(1) + 0.0722 * channel(2);
}

const rgb = (hex: string) =>
  [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];

function samples(
  measure: MapMeasure,
  values: number[],
  theme: Theme,
  from: number,
  to: number,
  n = 40,
): number[] {
  const scale = colorScale(measure, values, theme);
  return Array.from({ length: n + 1 }, (_, i) => luminance(scale.color(from + ((to - from) * i) / n)));
}

const increasing = (xs: number[]) => xs.every((x, i) => i === 0 || x >= (xs[i - 1] as number));
const decreasing = (xs: number[]) => xs.every((x, i) => i === 0 || x <= (xs[i - 1] as number));

describe('map: colour scales', function () {
  it('scales load from 0 to the largest value present, and renewable share from 0 to 1', function () {
    expect(colorScale('load', [12_000, 54_000, 3_000], 'light').domain).to.deep.equal([0, 54_000]);
    expect(colorScale('load', [], 'light').domain).to.deep.equal([0, 1]);
    expect(colorScale('renewableShare', [0.2, 0.4], 'dark').domain).to.deep.equal([0, 1]);
  });

  for (const measure of ['load', 'renewableShare'] as const) {
    it(`${measure}: darkens with the value on the light theme and brightens on the dark theme`, function () {
      const top = measure === 'load' ? 50_000 : 1;
      const lightRamp = samples(measure, [top], 'light', 0, top);
      const darkRamp = samples(measure, [top], 'dark', 0, top);
      expect(decreasing(lightRamp)).to.equal(true);
      expect(increasing(darkRamp)).to.equal(true);
      expect((lightRamp[0] as number) / (lightRamp.at(-1) as number)).to.be.above(4);
      expect((darkRamp.at(-1) as number) / (darkRamp[0] as number)).to.be.above(4);
    });
  }

  it('clamps values beyond the domain to the end colours', function () {
    const scale = colorScale('renewableShare', [], 'light');
    expect(scale.color(-0.5)).to.equal(scale.color(0));
    expect(scale.color(7)).to.equal(scale.color(1));
  });

  it('diverges net import around a neutral 0, symmetric in the largest magnitude', function () {
    expect(colorScale('netImport', [-300, 1200, 50], 'light').domain).to.deep.equal([-1200, 1200]);
    expect(colorScale('netImport', [], 'dark').domain).to.deep.equal([-1, 1]);
    for (const theme of ['light', 'dark'] as const) {
      const scale = colorScale('netImport', [-1000, 1000], theme);
      const neutral = rgb(scale.color(0));
      expect(Math.max(...neutral) - Math.min(...neutral), theme).to.be.below(12);
      const exportSide = samples('netImport', [-1000, 1000], theme, 0, -1000);
      const importSide = samples('netImport', [-1000, 1000], theme, 0, 1000);
      const away = theme === 'light' ? decreasing : increasing;
      expect(away(exportSide), `${theme} export`).to.equal(true);
      expect(away(importSide), `${theme} import`).to.equal(true);
      const [er, , eb] = rgb(scale.color(-1000));
      const [ir, , ib] = rgb(scale.color(1000));
      expect(eb, `${theme} export is blue`).to.be.above(er);
      expect(ir, `${theme} import is red`).to.be.above(ib);
    }
  });
});
