import OlMap from 'ol/Map';
import type MapBrowserEvent from 'ol/MapBrowserEvent';
import View from 'ol/View';
import Zoom from 'ol/control/Zoom';
import ZoomToExtent from 'ol/control/ZoomToExtent';
import { noModifierKeys, platformModifierKeyOnly, primaryAction } from 'ol/events/condition';
import DoubleClickZoom from 'ol/interaction/DoubleClickZoom';
import DragPan from 'ol/interaction/DragPan';
import MouseWheelZoom from 'ol/interaction/MouseWheelZoom';
import PinchZoom from 'ol/interaction/PinchZoom';
import Projection from 'ol/proj/Projection';
import type { ColorScale } from './color-scale';
import { createCountryLayer } from './country-layer';
import type { CountryShape } from './country-shapes';
import { createFlowArrows, flowKey } from './flow-arrows';
import type { MapPalette } from './map-palette';
import type { NetFlow } from './net-flows';
import { INITIAL_EXTENT, MAP_EXTENT, PROJECTION_CODE, type Point } from './projection';

/** What the component owns and the map draws; read at every render. */
export interface MapViewState {
  values: Readonly<Record<string, number>>;
  scale: ColorScale;
  selected: string | null;
  palette: MapPalette;
}

/** Pixels around an arrow that still count as on it: thin arrows are hard to hit exactly. */
const HIT_TOLERANCE = 3;

export type HoverTarget =
  { kind: 'country'; mapCode: string; name: string } | { kind: 'flow'; flow: NetFlow };

export interface MapViewHandlers {
  /** The pointer moved to `pixel` (relative to the map) over `target`, or left the map (both null). */
  onHover(target: HoverTarget | null, pixel: Point | null): void;
  onSelect(mapCode: string): void;
}

export interface MapView {
  setShapes(shapes: readonly CountryShape[]): void;
  setFlows(flows: readonly NetFlow[]): void;
  /** Redraws after the state changed; `paletteChanged` also rebuilds the cached styles. */
  restyle(paletteChanged: boolean): void;
  dispose(): void;
}

/**
 * The OpenLayers map, created once per element: countries below, flow arrows above, zoom buttons, and a
 * view of Europe that refits when the element resizes until the user pans or zooms. One finger on a touch
 * screen scrolls the page and the wheel zooms only with Ctrl/⌘, so the map never traps a scrolling reader.
 */
export function createMapView(
  target: HTMLElement,
  state: () => MapViewState,
  handlers: MapViewHandlers,
): MapView {
  let hovered: HoverTarget | null = null;
  let flows: readonly NetFlow[] = [];
  const anchors = new Map<string, Point>();

  const countries = createCountryLayer(() => ({
    ...state(),
    hovered: hovered?.kind === 'country' ? hovered.mapCode : null,
  }));
  const arrows = createFlowArrows(() => ({
    hoveredFlow: hovered?.kind === 'flow' ? flowKey(hovered.flow) : null,
    palette: state().palette,
  }));

  /** The view as last fitted to Europe, and whether the user moved away from it since. */
  let fitted: { center: number[]; resolution: number } | null = null;
  let userMoved = false;
  const rememberFit = (): void => {
    const view = map.getView();
    fitted = { center: view.getCenter() ?? [], resolution: view.getResolution() ?? 0 };
    userMoved = false;
  };
  const stillFitted = (): boolean => {
    const view = map.getView();
    const center = view.getCenter() ?? [];
    return (
      fitted !== null &&
      view.getResolution() === fitted.resolution &&
      center[0] === fitted.center[0] &&
      center[1] === fitted.center[1]
    );
  };

  const zoomToEurope = new ZoomToExtent({
    extent: INITIAL_EXTENT,
    label: '⤢',
    tipLabel: 'Show all of Europe',
    fitOptions: { callback: rememberFit },
  });
  const zoom = new Zoom({ zoomInTipLabel: 'Zoom in', zoomOutTipLabel: 'Zoom out' });
  const dragPan: DragPan = new DragPan({
    condition: (event: MapBrowserEvent): boolean =>
      (event.originalEvent as PointerEvent).pointerType === 'touch'
        ? dragPan.getPointerCount() >= 2
        : noModifierKeys(event) && primaryAction(event),
  });

  const map = new OlMap({
    target,
    controls: [zoom, zoomToEurope],
    interactions: [
      dragPan,
      new PinchZoom(),
      new DoubleClickZoom(),
      new MouseWheelZoom({
        condition: (event) => (event.originalEvent as WheelEvent).ctrlKey || platformModifierKeyOnly(event),
      }),
    ],
    layers: [countries.layer, arrows.layer],
    view: new View({
      projection: new Projection({ code: PROJECTION_CODE, units: 'm', extent: MAP_EXTENT }),
      extent: MAP_EXTENT,
      enableRotation: false,
      // 250 m a pixel: closer, the 1:50m shapes show no more detail, only their corners.
      minResolution: 250,
    }),
  });

  // The buttons show symbols; screen readers get words.
  for (const [selector, label] of [
    ['.ol-zoom-in', 'Zoom in'],
    ['.ol-zoom-out', 'Zoom out'],
    ['.ol-zoom-extent button', 'Show all of Europe'],
  ] as const) {
    target.querySelector(selector)?.setAttribute('aria-label', label);
  }

  const fitUnlessMoved = (): void => {
    const [width = 0, height = 0] = map.getSize() ?? [];
    if (width === 0 || height === 0 || userMoved) return;
    map.getView().fit(INITIAL_EXTENT, { size: [width, height] });
    rememberFit();
  };
  // The constructor measured the element already; later sizes come from OpenLayers' ResizeObserver.
  fitUnlessMoved();
  map.on('change:size', fitUnlessMoved);
  map.on('moveend', () => {
    userMoved ||= !stillFitted();
  });

  /** Arrows over countries; hits come from the geometries, so hovering never reads pixels back from a canvas. */
  const targetAt = (pixel: number[]): HoverTarget | null => {
    const coordinate = map.getCoordinateFromPixel(pixel);
    const flow = arrows.flowAt(coordinate, HIT_TOLERANCE * (map.getView().getResolution() ?? 0));
    if (flow) return { kind: 'flow', flow };
    const shape = countries.countryAt(coordinate);
    return shape?.mapCode ? { kind: 'country', mapCode: shape.mapCode, name: shape.name } : null;
  };
  const sameTarget = (a: HoverTarget | null, b: HoverTarget | null): boolean =>
    a?.kind === 'country' && b?.kind === 'country'
      ? a.mapCode === b.mapCode
      : a?.kind === 'flow' && b?.kind === 'flow'
        ? flowKey(a.flow) === flowKey(b.flow)
        : a === b;
  const hover = (next: HoverTarget | null, pixel: Point | null): void => {
    if (!sameTarget(hovered, next)) {
      hovered = next;
      countries.layer.changed();
      arrows.layer.changed();
    }
    target.style.cursor = next?.kind === 'country' && next.mapCode in state().values ? 'pointer' : '';
    handlers.onHover(hovered, pixel);
  };

  map.on('pointermove', (event) => {
    if (event.dragging) return;
    hover(targetAt(event.pixel), [event.pixel[0] ?? 0, event.pixel[1] ?? 0]);
  });
  map.on('click', (event) => {
    const hit = targetAt(event.pixel);
    hover(hit, [event.pixel[0] ?? 0, event.pixel[1] ?? 0]);
    if (hit?.kind === 'country' && hit.mapCode in state().values) handlers.onSelect(hit.mapCode);
  });
  // A finger leaves the screen after every tap; the tooltip of what it tapped stays until the next tap.
  const leave = (event: PointerEvent): void => {
    if (event.pointerType !== 'touch') hover(null, null);
  };
  target.addEventListener('pointerleave', leave);

  return {
    setShapes(shapes) {
      countries.setShapes(shapes);
      anchors.clear();
      for (const shape of shapes) if (shape.mapCode && shape.anchor) anchors.set(shape.mapCode, shape.anchor);
      arrows.setFlows(flows, anchors);
    },
    setFlows(next) {
      flows = next;
      arrows.setFlows(flows, anchors);
    },
    restyle(paletteChanged) {
      if (paletteChanged) countries.resetStyles();
      countries.layer.changed();
      arrows.layer.changed();
    },
    dispose() {
      target.removeEventListener('pointerleave', leave);
      map.setTarget(undefined);
      map.dispose();
    },
  };
}
