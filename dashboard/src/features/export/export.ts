import type { ColumnarSeries } from '../../api/types';
import type { LegendEntry } from '../charts/series-plot';
import { isoTimesInZone } from './iso-times';

export interface NamedValues {
  name: string;
  values: (number | null)[];
}

const quote = (s: string) => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/**
 * What the chart shows as CSV: a `time` column in the chosen zone with its offset (so the file stands on its
 * own), one column per series, an empty cell where a series has no value.
 */
export function seriesToCsv(t: readonly number[], series: readonly NamedValues[], timeZone: string): string {
  const times = isoTimesInZone(t, timeZone);
  const lines = [['time', ...series.map((s) => quote(s.name))].join(',')];
  times.forEach((time, i) => {
    let line = time;
    for (const s of series) line += `,${s.values[i] ?? ''}`;
    lines.push(line);
  });
  return `${lines.join('\n')}\n`;
}

/** What the chart shows as JSON in the API's columnar shape, so the same code reads both. */
export function seriesToJson(data: Omit<ColumnarSeries, 'unit'>): string {
  const { dataset, area, in: into, resolution, t, series } = data;
  return `${JSON.stringify({
    dataset,
    area,
    ...(into === undefined ? {} : { in: into }),
    resolution,
    unit: 'MW',
    t,
    series: series.map((s) => ({ name: s.name, values: s.values })),
  })}\n`;
}

/** Saves `blob` as a file through a temporary link, the one way that works in every browser. */
export function downloadBlob(fileName: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  // Revoking at once can cancel the download in some browsers; a minute is plenty to start it.
  setTimeout(() => {
    URL.revokeObjectURL(url);
  }, 60_000);
}

export function downloadText(fileName: string, mime: string, text: string): void {
  downloadBlob(fileName, new Blob([text], { type: `${mime};charset=utf-8` }));
}

function legendOf(root: HTMLElement): LegendEntry[] {
  try {
    const parsed: unknown = JSON.parse(root.dataset.legend ?? '[]');
    if (!Array.isArray(parsed)) return [];
    return parsed.filter(
      (e): e is LegendEntry =>
        typeof e === 'object' &&
        e !== null &&
        typeof (e as LegendEntry).name === 'string' &&
        typeof (e as LegendEntry).color === 'string',
    );
  } catch {
    return [];
  }
}

function cssVariable(element: Element, name: string, fallback: string): string {
  const value = getComputedStyle(element).getPropertyValue(name).trim();
  return value === '' ? fallback : value;
}

/**
 * The chart as a PNG: its title, uPlot's canvas as drawn (axes, grid, series, in the current theme), the
 * legend's names and colours, and a caption with the unit and time zone, on the page's background colour.
 * `root` is what `SeriesChart` hands to `onReady`.
 */
export async function chartToPng(root: HTMLElement): Promise<Blob> {
  const source = root.querySelector('canvas');
  if (!source) throw new Error('the chart has no canvas yet');
  const scale = source.width / Math.max(1, source.getBoundingClientRect().width);
  const text = cssVariable(root, '--text', getComputedStyle(root).color || '#1d2330');
  const muted = cssVariable(root, '--text-muted', text);
  const background = cssVariable(root, '--surface', '#ffffff');
  const font = getComputedStyle(root).fontFamily || 'system-ui, sans-serif';
  const title = root.dataset.title ?? '';
  const caption = root.dataset.caption ?? '';
  const legend = legendOf(root);

  const pad = 16 * scale;
  const width = source.width + 2 * pad;
  const measure = document.createElement('canvas').getContext('2d');
  if (!measure) throw new Error('no 2D canvas');
  const legendFont = `${13 * scale}px ${font}`;
  measure.font = legendFont;
  const swatch = 10 * scale;
  const lineHeight = 20 * scale;
  const rows: { x: number; entry: LegendEntry }[][] = [[]];
  let x = 0;
  for (const entry of legend) {
    const w = swatch + 6 * scale + measure.measureText(entry.name).width + 16 * scale;
    if (x > 0 && x + w > source.width) {
      rows.push([]);
      x = 0;
    }
    rows[rows.length - 1]?.push({ x, entry });
    x += w;
  }
  const titleHeight = title ? 28 * scale : 0;
  const legendHeight = legend.length > 0 ? rows.length * lineHeight + 8 * scale : 0;
  const captionHeight = caption ? lineHeight : 0;

  const canvas = document.createElement('canvas');
  canvas.width = Math.round(width);
  canvas.height = Math.round(pad + titleHeight + source.height + legendHeight + captionHeight + pad);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2D canvas');
  ctx.fillStyle = background;
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.textBaseline = 'middle';
  let y = pad;
  if (title) {
    ctx.fillStyle = text;
    ctx.font = `600 ${16 * scale}px ${font}`;
    ctx.fillText(title, pad, y + titleHeight / 2 - 4 * scale);
    y += titleHeight;
  }
  ctx.drawImage(source, pad, y);
  y += source.height + 8 * scale;
  ctx.font = legendFont;
  for (const row of rows) {
    for (const { x: left, entry } of row) {
      ctx.fillStyle = entry.color;
      ctx.fillRect(pad + left, y + (lineHeight - swatch) / 2, swatch, swatch);
      ctx.fillStyle = text;
      ctx.fillText(entry.name, pad + left + swatch + 6 * scale, y + lineHeight / 2);
    }
    if (row.length > 0) y += lineHeight;
  }
  if (caption) {
    ctx.fillStyle = muted;
    ctx.font = `${12 * scale}px ${font}`;
    ctx.fillText(caption, pad, y + lineHeight / 2);
  }
  return new Promise((resolve, reject) => {
    canvas.toBlob((blob) => {
      if (blob) resolve(blob);
      else reject(new Error('the browser could not encode the PNG'));
    }, 'image/png');
  });
}
