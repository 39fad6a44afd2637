import Feature, { type FeatureLike } from 'ol/Feature';
import MultiPolygon from 'ol/geom/MultiPolygon';
import VectorLayer from 'ol/layer/Vector';
import VectorSource from 'ol/source/Vector';
import Fill from 'ol/style/Fill';
import Stroke from 'ol/style/Stroke';
import Style from 'ol/style/Style';
import type { ColorScale } from './color-scale';
import type { CountryShape } from './country-shapes';
import type { MapPalette } from './map-palette';

/** What the countries are drawn from; read at every render, so changing it and calling `changed()` restyles. */
export interface CountryStyleState {
  values: Readonly<Record<string, number>>;
  scale: ColorScale;
  selected: string | null;
  hovered: string | null;
  palette: MapPalette;
}

export interface CountryLayer {
  layer: VectorLayer<VectorSource<Feature<MultiPolygon>>>;
  setShapes(shapes: readonly CountryShape[]): void;
  /** The ENTSO-E country at a map coordinate, found from the geometries (no canvas read-back). */
  countryAt(coordinate: number[]): CountryShape | undefined;
  /** Drops cached styles after the palette changed; plain restyles only need `layer.changed()`. */
  resetStyles(): void;
}

const shapes = new WeakMap<FeatureLike, CountryShape>();

function shapeOf(feature: FeatureLike): CountryShape | undefined {
  return shapes.get(feature);
}

type Outline = 'plain' | 'hover' | 'selected';

/** The countries as one vector layer whose style follows `state()`; the selected one is drawn over its neighbours. */
export function createCountryLayer(state: () => CountryStyleState): CountryLayer {
  const source = new VectorSource<Feature<MultiPolygon>>();
  let cache = new Map<string, Style>();
  let noDataFill: Fill | null = null;

  const styleFor = (fill: string | null, outline: Outline, palette: MapPalette): Style => {
    const key = `${fill ?? 'none'}|${outline}`;
    let style = cache.get(key);
    if (!style) {
      noDataFill ??= new Fill({ color: stripes(palette) });
      style = new Style({
        fill: fill === null ? noDataFill : new Fill({ color: fill }),
        stroke: new Stroke({
          color:
            outline === 'selected' ? palette.selected : outline === 'hover' ? palette.hover : palette.border,
          width: outline === 'selected' ? 2.5 : outline === 'hover' ? 1.5 : 0.6,
        }),
        zIndex: outline === 'selected' ? 2 : outline === 'hover' ? 1 : 0,
      });
      cache.set(key, style);
    }
    return style;
  };

  const layer = new VectorLayer({
    source,
    updateWhileAnimating: false,
    updateWhileInteracting: false,
    style: (feature) => {
      const shape = shapeOf(feature);
      const { values, scale, selected, hovered, palette } = state();
      if (!shape?.mapCode) return styleFor(palette.land, 'plain', palette);
      const value = values[shape.mapCode];
      const outline: Outline =
        shape.mapCode === selected ? 'selected' : shape.mapCode === hovered ? 'hover' : 'plain';
      return styleFor(value === undefined ? null : scale.color(value), outline, palette);
    },
  });

  return {
    layer,
    setShapes(list) {
      source.clear(true);
      source.addFeatures(
        list.map((shape) => {
          const feature = new Feature(new MultiPolygon(shape.polygons));
          shapes.set(feature, shape);
          return feature;
        }),
      );
    },
    countryAt(coordinate) {
      for (const feature of source.getFeaturesAtCoordinate(coordinate)) {
        const shape = shapeOf(feature);
        if (shape?.mapCode) return shape;
      }
      return undefined;
    },
    resetStyles() {
      cache = new Map();
      noDataFill = null;
    },
  };
}

/** Diagonal stripes, the usual mark for "no data" that no value on a colour ramp can be mistaken for. */
function stripes(palette: MapPalette): CanvasPattern | string {
  const size = 8;
  const canvas = document.createElement('canvas');
  canvas.width = size;
  canvas.height = size;
  const context = canvas.getContext('2d');
  if (!context) return palette.noData;
  context.fillStyle = palette.noData;
  context.fillRect(0, 0, size, size);
  context.strokeStyle = palette.noDataStripe;
  context.lineWidth = 2;
  context.beginPath();
  for (const offset of [-size, 0, size]) {
    context.moveTo(offset, size);
    context.lineTo(offset + size, 0);
  }
  context.stroke();
  return context.createPattern(canvas, 'repeat') ?? palette.noData;
}
