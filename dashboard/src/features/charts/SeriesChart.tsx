import { useLayoutEffect, useRef } from 'preact/hooks';
import 'uplot/dist/uPlot.min.css';
import './SeriesChart.css';
import { SeriesPlot } from './series-plot';

export interface SeriesChartProps {
  /** Time axis (epoch seconds) and named series on it, values in MW, null = gap. */
  t: number[];
  series: { name: string; values: (number | null)[] }[];
  mode: 'line' | 'stacked';
  /** 'UTC' or an IANA zone, axis + legend show times in it. */
  timeZone: string;
  /** Accessible name. */
  title: string;
  /** Called with the zoomed range (epoch seconds) after a drag-zoom, and with the data's extent after a double-click reset. */
  onZoom?: (from: number, to: number) => void;
  /** Gives the chart's canvas-bearing root for PNG export. */
  onReady?: (root: HTMLElement) => void;
}

/**
 * Load, flows or compared areas as lines; generation as stacked areas by production type. Legend values follow
 * the cursor, dragging zooms the time axis, a double-click resets it.
 */
export function SeriesChart({ t, series, mode, timeZone, title, onZoom, onReady }: SeriesChartProps) {
  const hostRef = useRef<HTMLDivElement>(null);
  const plotRef = useRef<SeriesPlot | null>(null);
  const callbacks = useRef({ onZoom, onReady });
  callbacks.current = { onZoom, onReady };
  /** What the plot draws now: `update` with the same arrays changes nothing and is not measured. */
  const drawn = useRef({ t, series });

  // A new set of series (or mode, or zone) needs new uPlot options; new values for the same set do not.
  const shape = [mode, timeZone, ...series.map((s) => s.name)].join('\u0000');

  useLayoutEffect(() => {
    const host = hostRef.current;
    if (!host) return;
    // User Timing measures of the chart's own work, which devtools' performance panel and
    // `npm run bench:dashboard` read: uPlot draws first in a microtask and then fires `ready`, so the
    // measure runs from before the data is prepared to the end of that first draw.
    const start = performance.now();
    drawn.current = { t, series };
    const plot = new SeriesPlot(host, t, series, {
      mode,
      timeZone,
      onZoom: (from, to) => callbacks.current.onZoom?.(from, to),
      onReady: (root) => {
        performance.measure('energylive:chart-draw', { start, end: performance.now() });
        callbacks.current.onReady?.(root);
      },
    });
    plotRef.current = plot;
    return () => {
      plot.destroy();
      plotRef.current = null;
    };
    // Only a new shape recreates the plot; new data for the same shape goes through `update` below.
  }, [shape]);

  useLayoutEffect(() => {
    const plot = plotRef.current;
    if (!plot || (t === drawn.current.t && series === drawn.current.series)) return;
    drawn.current = { t, series };
    // `update` sets the data and redraws synchronously (a uPlot batch).
    const start = performance.now();
    plot.update(t, series);
    performance.measure('energylive:chart-update', { start, end: performance.now() });
  }, [t, series]);

  const empty = t.length === 0 || series.length === 0;
  return (
    <figure class="series-chart" aria-label={title}>
      <div class="series-chart-plot" data-title={title} ref={hostRef} />
      {empty && <p class="series-chart-empty">No data in this range</p>}
    </figure>
  );
}
