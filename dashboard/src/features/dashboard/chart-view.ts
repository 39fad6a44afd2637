import type { ColumnarSeries } from '../../api/types';
import { mergeOnTimeAxis, type NamedSeries, type TimeSeriesSet } from '../charts/chart-data';
import type { ViewState } from './view-state';

export interface ChartView extends TimeSeriesSet {
  mode: 'line' | 'stacked';
  title: string;
}

/** Import minus export, where either is known: a border with data one way only still has a balance. */
function difference(
  imports: (number | null)[] | undefined,
  exports: (number | null)[] | undefined,
  n: number,
) {
  return Array.from({ length: n }, (_, i) => {
    const a = imports?.[i] ?? null;
    const b = exports?.[i] ?? null;
    return a === null && b === null ? null : (a ?? 0) - (b ?? 0);
  });
}

function sum(series: NamedSeries[], n: number): (number | null)[] {
  return Array.from({ length: n }, (_, i) => {
    let total: number | null = null;
    for (const s of series) {
      const v = s.values[i];
      if (v !== null && v !== undefined) total = (total ?? 0) + v;
    }
    return total;
  });
}

/**
 * The flows of an area over all its borders (series `out→in`) as what a reader wants: per neighbour the
 * net import (positive: power comes in), and the area's net balance over all of them; for one chosen
 * neighbour, import, export and their difference.
 */
export function flowSeries(doc: ColumnarSeries, partner: string | null): NamedSeries[] {
  const area = doc.area;
  const byName = new Map(doc.series.map((s) => [s.name, s.values]));
  const n = doc.t.length;
  const neighbours = [
    ...new Set(
      doc.series
        .map((s) => s.name.split('→'))
        .map(([out = '', into = '']) => (out === area ? into : out))
        .filter((code) => code !== ''),
    ),
  ].sort();
  if (partner) {
    const imports = byName.get(`${partner}→${area}`);
    const exports = byName.get(`${area}→${partner}`);
    return [
      { name: `Import from ${partner}`, values: imports ?? new Array<null>(n).fill(null) },
      { name: `Export to ${partner}`, values: exports ?? new Array<null>(n).fill(null) },
      { name: `Net import from ${partner}`, values: difference(imports, exports, n) },
    ];
  }
  const perNeighbour = neighbours.map((code) => ({
    name: code,
    values: difference(byName.get(`${code}→${area}`), byName.get(`${area}→${code}`), n),
  }));
  return [...perNeighbour, { name: `Net import of ${area}`, values: sum(perNeighbour, n) }];
}

/** What the chart draws for a view and the series documents loaded for it (the main area first). */
export function chartView(view: ViewState, docs: ColumnarSeries[]): ChartView {
  const areas = docs.map((d) => d.area).join(', ');
  if (view.dataset === 'generation') {
    const doc = docs[0];
    return {
      t: doc?.t ?? [],
      series: doc?.series ?? [],
      mode: view.type ? 'line' : 'stacked',
      title: `Generation of ${view.area}${view.type ? `: ${view.type}` : ' by production type'}`,
    };
  }
  if (view.dataset === 'flows') {
    const compared = docs.length > 1;
    const merged = mergeOnTimeAxis(
      docs.map((d) => {
        const series = flowSeries(d, compared ? null : view.partner);
        return {
          t: d.t,
          series: compared
            ? series.slice(-1).map((s) => ({ name: `Net import of ${d.area}`, values: s.values }))
            : series,
        };
      }),
    );
    return { ...merged, mode: 'line', title: `Cross-border flows of ${areas}` };
  }
  const merged = mergeOnTimeAxis(
    docs.map((d) => ({ t: d.t, series: d.series.map((s) => ({ name: d.area, values: s.values })) })),
  );
  return { ...merged, mode: 'line', title: `Load of ${areas}` };
}
