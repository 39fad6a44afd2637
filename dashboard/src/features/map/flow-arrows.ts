import Feature, { type FeatureLike } from 'ol/Feature';
import LineString from 'ol/geom/LineString';
import Polygon from 'ol/geom/Polygon';
import VectorLayer from 'ol/layer/Vector';
import VectorSource from 'ol/source/Vector';
import Fill from 'ol/style/Fill';
import Stroke from 'ol/style/Stroke';
import Style from 'ol/style/Style';
import { arrowPolygon, arrowSize } from './arrow-geometry';
import type { MapPalette } from './map-palette';
import type { NetFlow } from './net-flows';
import type { Point } from './projection';

export interface FlowStyleState {
  /** `from>to` of the arrow under the pointer. */
  hoveredFlow: string | null;
  palette: MapPalette;
}

export interface FlowArrows {
  layer: VectorLayer<VectorSource<Feature<LineString>>>;
  /** Replaces the arrows; a flow whose countries have no anchor on the map is left out. */
  setFlows(flows: readonly NetFlow[], anchors: ReadonlyMap<string, Point>): void;
  /** The flow whose arrow, as last drawn, is within `tolerance` map units of a coordinate. */
  flowAt(coordinate: number[], tolerance: number): NetFlow | undefined;
}

interface Arrow {
  flow: NetFlow;
  from: Point;
  to: Point;
  /** The style last built, for the resolution, largest flow and look it was built for, and its polygon. */
  cached: { key: string; style: Style; polygon: Polygon | null } | null;
}

const arrows = new WeakMap<FeatureLike, Arrow>();

export function flowKey(flow: NetFlow): string {
  return `${flow.from}>${flow.to}`;
}

/**
 * Flows as arrows from one country's anchor toward the other's. Arrow sizes are in pixels, so the polygon
 * is rebuilt per resolution inside the style; the feature keeps the anchor-to-anchor line, which gives
 * OpenLayers the extent to decide when to draw it.
 */
export function createFlowArrows(state: () => FlowStyleState): FlowArrows {
  const source = new VectorSource<Feature<LineString>>();
  let maxMw = 0;

  const layer = new VectorLayer({
    source,
    style: (feature, resolution) => {
      const arrow = arrows.get(feature);
      if (!arrow) return undefined;
      const { hoveredFlow, palette } = state();
      const hovered = hoveredFlow === flowKey(arrow.flow);
      const key = `${resolution}|${maxMw}|${hovered}|${palette.arrow}`;
      if (arrow.cached?.key !== key) {
        const gap = Math.hypot(arrow.to[0] - arrow.from[0], arrow.to[1] - arrow.from[1]) / resolution;
        const size = arrowSize(arrow.flow.mw, maxMw, gap);
        const ring = arrowPolygon(arrow.from, arrow.to, {
          length: size.length * resolution,
          shaftWidth: size.shaftWidth * resolution,
          headLength: size.headLength * resolution,
          headWidth: size.headWidth * resolution,
        });
        const polygon = ring ? new Polygon([ring]) : null;
        const style = new Style({
          geometry: polygon ?? undefined,
          fill: new Fill({ color: hovered ? palette.arrowHover : palette.arrow }),
          stroke: new Stroke({ color: palette.arrowHalo, width: 1 }),
          zIndex: hovered ? 1 : 0,
        });
        arrow.cached = { key, style, polygon };
      }
      return arrow.cached.style;
    },
  });

  return {
    layer,
    setFlows(flows, anchors) {
      const features: Feature<LineString>[] = [];
      maxMw = 0;
      for (const flow of flows) {
        const from = anchors.get(flow.from);
        const to = anchors.get(flow.to);
        if (!from || !to) continue;
        const feature = new Feature(new LineString([from, to]));
        arrows.set(feature, { flow, from, to, cached: null });
        features.push(feature);
        maxMw = Math.max(maxMw, flow.mw);
      }
      source.clear(true);
      source.addFeatures(features);
    },
    flowAt(coordinate, tolerance) {
      const [x = 0, y = 0] = coordinate;
      for (const feature of source.getFeatures()) {
        const arrow = arrows.get(feature);
        const polygon = arrow?.cached?.polygon;
        if (!arrow || !polygon) continue;
        const [cx = 0, cy = 0] = polygon.getClosestPoint(coordinate);
        if (polygon.intersectsCoordinate(coordinate) || Math.hypot(cx - x, cy - y) <= tolerance)
          return arrow.flow;
      }
      return undefined;
    },
  };
}
