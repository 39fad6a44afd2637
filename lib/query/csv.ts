import type { ColumnarSeries } from './series-request.js';

function isoUtc(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toISOString().replace('.000Z', 'Z');
}

/** A header row (`ts` and one column per series) and one row per interval, times in ISO UTC. */
export function columnarToCsv(data: ColumnarSeries): string {
  const quote = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const lines = [['ts', ...data.series.map((s) => quote(s.name))].join(',')];
  data.t.forEach((t, i) => {
    lines.push([isoUtc(t), ...data.series.map((s) => String(s.values[i] ?? ''))].join(','));
  });
  return `${lines.join('\n')}\n`;
}
