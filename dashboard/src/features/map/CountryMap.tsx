import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { colorScale } from './color-scale';
import './country-map.css';
import { useDocumentTheme } from './document-theme';
import { loadCountryShapes } from './load-country-shapes';
import { PALETTES, type MapPalette } from './map-palette';
import { createMapView, type HoverTarget, type MapView, type MapViewState } from './map-view';
import { MapLegend } from './MapLegend';
import { MapTooltip } from './MapTooltip';
import { MEASURE_LABELS, type MapMeasure } from './measures';
import { netFlows } from './net-flows';
import type { Point } from './projection';

export type { MapMeasure } from './measures';

export interface CountryMapProps {
  /** Value per ENTSO-E MapCode of a country (DE, FR, …) for the chosen measure; absent = no data (drawn neutral). */
  values: Record<string, number>;
  /** load in MW, renewable share 0..1, net import in MW (negative = export) */
  measure: MapMeasure;
  /** MapCode */
  selected: string | null;
  onSelect: (mapCode: string) => void;
  /** Cross-border flows to draw as arrows between neighbours, MW from `out` into `in` (MapCodes of countries). */
  flows: { out: string; in: string; mw: number }[];
}

type Status = 'loading' | 'ready' | 'failed';

const TOOLTIP_OFFSET = 14;

/**
 * Europe's countries coloured by a measure, with flow arrows, a legend and a tooltip. The OpenLayers map is
 * built once per mount; new props only restyle it. Countries with a value are clickable and call `onSelect`.
 */
export function CountryMap({ values, measure, selected, onSelect, flows }: CountryMapProps) {
  const theme = useDocumentTheme();
  const palette = PALETTES[theme];
  const scale = useMemo(() => colorScale(measure, Object.values(values), theme), [measure, values, theme]);
  const [status, setStatus] = useState<Status>('loading');
  const [hovered, setHovered] = useState<HoverTarget | null>(null);

  const frameRef = useRef<HTMLDivElement>(null);
  const targetRef = useRef<HTMLDivElement>(null);
  const tooltipRef = useRef<HTMLDivElement>(null);
  const viewRef = useRef<MapView | null>(null);
  const stateRef = useRef<MapViewState>({ values, scale, selected, palette });
  stateRef.current = { values, scale, selected, palette };
  const onSelectRef = useRef(onSelect);
  onSelectRef.current = onSelect;

  useEffect(() => {
    const target = targetRef.current;
    if (!target) return;
    const view = createMapView(target, () => stateRef.current, {
      onHover(next, pixel) {
        setHovered(next);
        placeTooltip(tooltipRef.current, frameRef.current, pixel);
      },
      onSelect(mapCode) {
        onSelectRef.current(mapCode);
      },
    });
    viewRef.current = view;
    let mounted = true;
    loadCountryShapes().then(
      (shapes) => {
        if (!mounted) return;
        view.setShapes(shapes);
        setStatus('ready');
      },
      () => {
        if (mounted) setStatus('failed');
      },
    );
    return () => {
      mounted = false;
      viewRef.current = null;
      view.dispose();
    };
  }, []);

  const paletteRef = useRef(palette);
  useEffect(() => {
    viewRef.current?.restyle(paletteRef.current !== palette);
    paletteRef.current = palette;
  }, [values, scale, selected, palette]);

  useEffect(() => {
    viewRef.current?.setFlows(netFlows(flows));
  }, [flows]);

  return (
    <div
      class="country-map"
      style={cssVariables(palette)}
      role="group"
      aria-label={`Map of Europe: ${MEASURE_LABELS[measure]}`}
    >
      <div class="country-map__frame" ref={frameRef}>
        <div class="country-map__target" ref={targetRef} />
        <div class="country-map__tooltip" ref={tooltipRef} hidden={hovered === null} aria-hidden="true">
          {hovered && <MapTooltip target={hovered} measure={measure} values={values} />}
        </div>
        {status !== 'ready' && (
          <p class="country-map__status" role="status">
            {status === 'loading' ? 'Loading the map…' : 'The map could not be loaded.'}
          </p>
        )}
      </div>
      <MapLegend measure={measure} scale={scale} />
    </div>
  );
}

/** Beside the pointer, flipped to its other side near the frame's right and bottom edges. */
function placeTooltip(tooltip: HTMLElement | null, frame: HTMLElement | null, pixel: Point | null): void {
  if (!tooltip || !frame || !pixel) return;
  const [x, y] = pixel;
  const left =
    x + TOOLTIP_OFFSET + tooltip.offsetWidth > frame.clientWidth
      ? x - TOOLTIP_OFFSET - tooltip.offsetWidth
      : x + TOOLTIP_OFFSET;
  const top =
    y + TOOLTIP_OFFSET + tooltip.offsetHeight > frame.clientHeight
      ? y - TOOLTIP_OFFSET - tooltip.offsetHeight
      : y + TOOLTIP_OFFSET;
  tooltip.style.transform = `translate(${Math.max(0, left)}px, ${Math.max(0, top)}px)`;
}

function cssVariables(palette: MapPalette): Record<string, string> {
  return {
    '--map-sea': palette.sea,
    '--map-panel': palette.panel,
    '--map-text': palette.panelText,
    '--map-muted': palette.panelMuted,
    '--map-border': palette.panelBorder,
    '--map-nodata': palette.noData,
    '--map-nodata-stripe': palette.noDataStripe,
  };
}
