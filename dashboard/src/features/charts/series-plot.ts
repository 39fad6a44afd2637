import uPlot from 'uplot';
import { holdPadding, joinPadding, stackLayers, type NamedSeries } from './chart-data';
import { layerTotal, sampleIndices, type TimeRange } from './sampling';
import { observeTheme, readChartTheme, type ChartTheme } from './chart-theme';
import { isProductionType, productionTypeColor, productionTypeRank, seriesColor } from './colors';
import { wallClockDate } from './time-zone';
import { formatPowerExact, powerTickLabels } from './units';

export type ChartMode = 'line' | 'stacked';

export interface SeriesPlotSettings {
  mode: ChartMode;
  timeZone: string;
  onZoom: (from: number, to: number) => void;
  onReady: (root: HTMLElement) => void;
}

/** What the legend and an exported image list: each drawn series with its colour. */
export interface LegendEntry {
  name: string;
  color: string;
}

const MINUTE = 60;
const HOUR = 3600;
const DAY = 86400;
const YEAR = 365 * DAY;

/**
 * Time axis labels in 24-hour European style. Columns: smallest tick step, label, then what to add when the
 * year, month, day, hour, minute or second changes from the previous tick, and 1 = add rather than replace.
 */
const TIME_AXIS_VALUES: (string | number | null)[][] = [
  [YEAR, '{YYYY}', null, null, null, null, null, null, 1],
  [28 * DAY, '{MMM}', '\n{YYYY}', null, null, null, null, null, 1],
  [DAY, '{D} {MMM}', '\n{YYYY}', null, null, null, null, null, 1],
  [HOUR, '{HH}:{mm}', '\n{D} {MMM} {YYYY}', null, '\n{D} {MMM}', null, null, null, 1],
  [MINUTE, '{HH}:{mm}', '\n{D} {MMM} {YYYY}', null, '\n{D} {MMM}', null, null, null, 1],
];

const legendTime = uPlot.fmtDate('{YYYY}-{MM}-{DD} {HH}:{mm}');

/** Tall enough to read a stack on a phone, not so tall that the statistics leave a laptop's screen. */
function plotHeight(width: number): number {
  return width < 480 ? 240 : width < 900 ? 300 : 360;
}

/** Room for the longest label at 12 px, plus tick and gap, without reaching into uPlot's internals. */
function yAxisSize(_u: uPlot, values: string[] | null): number {
  const longest = (values ?? []).reduce((n, v) => Math.max(n, v.length), 4);
  return Math.ceil(longest * 7 + 14);
}

/**
 * One uPlot instance for one set of series (mode, names, time zone); new data for the same set goes through
 * `setData`, so live updates cost one redraw. Stacked mode draws the running sums top layer first, each filled
 * down to zero in an opaque colour: every layer paints over the one above it, leaving exactly its own band,
 * with no per-band clipping.
 */
export class SeriesPlot {
  private readonly plot: uPlot;
  private readonly host: HTMLElement;
  private readonly settings: SeriesPlotSettings;
  private theme: ChartTheme;
  private t: number[] = [];
  private series: NamedSeries[] = [];
  /** Stacked: indices into `series`, bottom layer first. */
  private readonly order: number[];
  /** Stacked: each layer's own values (padding held), bottom first, for the legend. */
  private layers: (number | null)[][] = [];
  /** Stacked, with more points than pixels: which points of `t` are drawn, else null (all of them). */
  private drawn: Int32Array | null = null;
  private zoom: TimeRange | null = null;
  /** True while this class sets data or scales, so only the user's drags and double-clicks count as zoom. */
  private programmatic = true;
  /** Stacked: layers switched off in the legend, bottom first. */
  private readonly hiddenLayers = new Set<number>();
  private restackQueued = false;
  private width: number;
  /** Per uPlot series index, what the legend of an exported image shows (nothing for time and total). */
  private entries: (LegendEntry | null)[] = [];
  private readonly stopObserving: () => void;
  private readonly resizeObserver: ResizeObserver;

  constructor(host: HTMLElement, t: number[], series: NamedSeries[], settings: SeriesPlotSettings) {
    this.host = host;
    this.settings = settings;
    this.theme = readChartTheme(host);
    this.order = series
      .map((_, i) => i)
      .sort(
        (a, b) =>
          productionTypeRank(series[a]?.name ?? '') - productionTypeRank(series[b]?.name ?? '') ||
          (series[a]?.name ?? '').localeCompare(series[b]?.name ?? ''),
      );
    this.width = Math.max(host.clientWidth, 280);
    this.plot = new uPlot(this.options(series, this.width), this.prepare(t, series), host);
    this.resizeObserver = new ResizeObserver((entries) => {
      const entry = entries[0];
      if (entry) this.resize(Math.floor(entry.contentRect.width));
    });
    this.resizeObserver.observe(host);
    this.stopObserving = observeTheme(() => {
      this.theme = readChartTheme(this.host);
      this.plot.redraw(false, false);
    });
    this.makeLegendKeyboardReachable();
    this.writeLegend();
  }

  update(t: number[], series: NamedSeries[]): void {
    if (t === this.t && series === this.series) return;
    const keep = this.zoom !== null && t[0] === this.t[0] ? this.zoom : null;
    this.zoom = keep;
    this.apply(() => this.prepare(t, series), keep);
  }

  destroy(): void {
    this.resizeObserver.disconnect();
    this.stopObserving();
    this.plot.destroy();
  }

  /** Sets data (and the zoom to keep, else the whole range) in one synchronous draw. */
  private apply(data: () => uPlot.AlignedData, keep: TimeRange | null, width = this.width): void {
    this.zoom = keep;
    this.programmatic = true;
    this.plot.batch(() => {
      if (width !== this.width) {
        this.width = width;
        this.plot.setSize({ width, height: plotHeight(width) });
      }
      this.plot.setData(data());
      if (keep) this.plot.setScale('x', { min: keep.from, max: keep.to });
    });
    this.programmatic = false;
  }

  private resize(width: number): void {
    if (width <= 0 || width === this.width) return;
    if (this.settings.mode === 'stacked' && this.drawn !== null) {
      this.apply(() => this.stackData(), this.zoom, width);
    } else {
      this.width = width;
      this.plot.setSize({ width, height: plotHeight(width) });
    }
  }

  private prepare(t: number[], series: NamedSeries[]): uPlot.AlignedData {
    this.t = t;
    this.series = series;
    if (this.settings.mode === 'line') {
      return [t, ...series.map((s) => joinPadding(t, s.values))];
    }
    this.layers = this.order.map((i) => holdPadding(t, series[i]?.values ?? []));
    return this.stackData();
  }

  /**
   * `[t, total, top layer's sum, …, bottom layer's sum]`, leaving out layers switched off in the legend. With
   * many points per pixel column (where uPlot would thin them out itself, but only after visiting each one in
   * every layer) only sampled points go in: the current zoom in detail, the rest coarsely.
   */
  private stackData(): uPlot.AlignedData {
    const n = this.t.length;
    const shown = this.layers.filter((_, k) => this.layerShown(k));
    const columns = Math.round(this.width * devicePixelRatio);
    this.drawn = null;
    let t = this.t;
    if (n > 4 * columns) {
      const view = this.zoom ?? { from: t[0] ?? 0, to: t[n - 1] ?? 0 };
      const drawn = sampleIndices(t, layerTotal(shown, n), view, columns);
      this.drawn = drawn;
      t = new Array<number>(drawn.length);
      for (let j = 0; j < drawn.length; j++) t[j] = this.t[drawn[j] ?? 0] ?? 0;
    }
    const sums = stackLayers(shown, n, this.drawn ?? undefined);
    const perLayer: (Float64Array | (number | null)[])[] = [];
    let next = 0;
    this.layers.forEach((_, k) => {
      perLayer.push(this.layerShown(k) ? (sums[next++] ?? []) : []);
    });
    const total = sums[sums.length - 1] ?? [];
    return [t, total, ...perLayer.reverse()];
  }

  /**
   * The index into `t` of a point uPlot hands the legend. Without a cursor on the plot the legend shows the
   * latest values, which is what a live view is watched for.
   */
  private dataIndex(idx: number | null): number {
    if (idx === null) return this.t.length - 1;
    return this.drawn?.[idx] ?? idx;
  }

  /** Sum of the shown layers at `i`, null where none has a value. */
  private layerTotal(i: number): number | null {
    let total: number | null = null;
    this.layers.forEach((layer, k) => {
      const v = layer[i];
      if (v != null && this.layerShown(k)) total = (total ?? 0) + v;
    });
    return total;
  }

  /** uPlot's index of layer `k` (bottom first): after time and total, top layer first. */
  private seriesIndexOfLayer(k: number): number {
    return 1 + this.layers.length - k;
  }

  private layerShown(k: number): boolean {
    return !this.hiddenLayers.has(k);
  }

  private options(series: NamedSeries[], width: number): uPlot.Options {
    const { mode, timeZone } = this.settings;
    const axis = {
      stroke: () => this.theme.text,
      grid: { stroke: () => this.theme.grid, width: 1 },
      ticks: { stroke: () => this.theme.grid, width: 1, size: 4 },
    };
    const time: uPlot.Series = {
      label: `Time (${timeZone})`,
      value: (_u, _v, _si, idx) => {
        const time = this.t[this.dataIndex(idx)];
        return time === undefined ? '–' : legendTime(wallClockDate(time, timeZone));
      },
    };
    const plotSeries: uPlot.Series[] =
      mode === 'line'
        ? series.map((s, i) => ({
            label: s.name,
            // One production type on its own keeps the colour it has in the stack.
            stroke:
              series.length === 1 && isProductionType(s.name) ? productionTypeColor(s.name) : seriesColor(i),
            width: 1.5,
            value: (_u, _v, _si, idx) => formatPowerExact(this.series[i]?.values[this.dataIndex(idx)]),
          }))
        : [
            {
              label: 'Total',
              class: 'series-chart-total',
              paths: () => null,
              points: { show: false },
              value: (_u, _v, _si, idx) => formatPowerExact(this.layerTotal(this.dataIndex(idx))),
            },
            ...[...this.order].reverse().map((i, r): uPlot.Series => {
              const name = series[i]?.name ?? '';
              const color = productionTypeColor(name);
              const k = this.order.length - 1 - r;
              return {
                label: name,
                stroke: color,
                fill: color,
                width: 0,
                // The total, the top of the stack, ranges the y axis: one scan instead of one per layer.
                auto: false,
                points: { show: false },
                value: (_u, _v, _si, idx) => formatPowerExact(this.layers[k]?.[this.dataIndex(idx)]),
              };
            }),
          ];
    this.entries = [
      null,
      ...plotSeries.map((s) =>
        typeof s.label === 'string' && typeof s.stroke === 'string' && s.class === undefined
          ? { name: s.label, color: s.stroke }
          : null,
      ),
    ];
    return {
      width,
      height: plotHeight(width),
      tzDate: (ts) => wallClockDate(ts, timeZone),
      series: [time, ...plotSeries],
      scales: {
        x: { time: true },
        y:
          mode === 'stacked'
            ? { range: (_u, min, max) => uPlot.rangeNum(Math.min(0, min), max, 0.1, true) }
            : {},
      },
      axes: [
        { ...axis, values: TIME_AXIS_VALUES, space: 70 },
        { ...axis, values: (_u, ticks) => powerTickLabels(ticks), size: yAxisSize, space: 36 },
      ],
      cursor: {
        drag: { x: true, y: false, setScale: true },
        points: { size: 6, fill: () => this.theme.surface },
      },
      legend: { live: true },
      hooks: {
        ready: [
          () => {
            this.programmatic = false;
            this.settings.onReady(this.host);
          },
        ],
        setScale: [
          (u, key) => {
            this.scaleChanged(u, key);
          },
        ],
        setSeries: [
          (_u, _i, opts) => {
            this.seriesToggled(opts);
          },
        ],
      },
    };
  }

  private scaleChanged(u: uPlot, key: string): void {
    if (key !== 'x' || this.programmatic) return;
    const { min, max } = u.scales.x ?? {};
    if (min === undefined || max === undefined) return;
    const first = this.t[0] ?? min;
    const last = this.t[this.t.length - 1] ?? max;
    this.zoom = min > first || max < last ? { from: min, to: max } : null;
    this.settings.onZoom(min, max);
    // uPlot has drawn the new range from the points sampled for the old one; sample it in detail.
    if (this.drawn !== null) this.queueRestack();
  }

  private seriesToggled(opts: uPlot.Series): void {
    if (opts.show === undefined) return;
    this.writeLegend();
    this.syncLegendPressed();
    if (this.settings.mode !== 'stacked') return;
    this.layers.forEach((_, k) => {
      if (this.plot.series[this.seriesIndexOfLayer(k)]?.show === false) this.hiddenLayers.add(k);
      else this.hiddenLayers.delete(k);
    });
    this.queueRestack();
  }

  /** After uPlot's own update is done (isolating one series toggles each of them): restack once. */
  private queueRestack(): void {
    if (this.restackQueued) return;
    this.restackQueued = true;
    queueMicrotask(() => {
      this.restackQueued = false;
      this.apply(() => this.stackData(), this.zoom);
    });
  }

  private legendRows(): HTMLElement[] {
    return [...this.plot.root.querySelectorAll<HTMLElement>('.u-legend .u-series')];
  }

  /** uPlot toggles a series by a click on its legend label; Enter and Space do the same from the keyboard. */
  private makeLegendKeyboardReachable(): void {
    this.legendRows().forEach((row, i) => {
      const label = row.querySelector<HTMLElement>('th');
      if (!label || i === 0 || row.classList.contains('series-chart-total')) return;
      label.tabIndex = 0;
      label.setAttribute('role', 'button');
      label.addEventListener('keydown', (e) => {
        if (e.key !== 'Enter' && e.key !== ' ') return;
        e.preventDefault();
        label.click();
      });
    });
    this.syncLegendPressed();
  }

  private syncLegendPressed(): void {
    this.legendRows().forEach((row, i) => {
      const label = row.querySelector('th');
      if (label?.getAttribute('role') === 'button') {
        label.setAttribute('aria-pressed', String(this.plot.series[i]?.show ?? true));
      }
    });
  }

  /** Shown series and their colours, in legend order, for `chartToPng`. */
  private writeLegend(): void {
    const entries = this.entries.filter(
      (entry, i): entry is LegendEntry => entry !== null && this.plot.series[i]?.show !== false,
    );
    this.host.dataset.legend = JSON.stringify(entries);
    this.host.dataset.caption = `MW · times in ${this.settings.timeZone}`;
  }
}
