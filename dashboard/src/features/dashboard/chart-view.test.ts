import { expect } from 'chai';
import type { ColumnarSeries } from '../../api/types';
import { chartView, flowSeries } from './chart-view';
import { DEFAULT_VIEW } from './view-state';

const doc = (
  dataset: ColumnarSeries['dataset'],
  area: string,
  t: number[],
  series: ColumnarSeries['series'],
) => ({ dataset, area, resolution: 'PT60M', unit: 'MW', t, series }) as ColumnarSeries;

describe('what the dashboard chart draws', () => {
  const flows = doc(
    'flows',
    'DE',
    [0, 3600],
    [
      { name: 'DE→FR', values: [100, 200] },
      { name: 'FR→DE', values: [300, null] },
      { name: 'PL→DE', values: [null, 50] },
    ],
  );

  it("turns an area's border flows into net imports per neighbour and its net balance", () => {
    expect(flowSeries(flows, null)).to.deep.equal([
      { name: 'FR', values: [200, -200] },
      { name: 'PL', values: [null, 50] },
      { name: 'Net import of DE', values: [200, -150] },
    ]);
  });

  it('shows import, export and net for one chosen neighbour', () => {
    expect(flowSeries(flows, 'FR')).to.deep.equal([
      { name: 'Import from FR', values: [300, null] },
      { name: 'Export to FR', values: [100, 200] },
      { name: 'Net import from FR', values: [200, -200] },
    ]);
  });

  it('compares the load of several areas on one time axis, named by area', () => {
    const view = chartView({ ...DEFAULT_VIEW, compare: ['FR'] }, [
      doc('load', 'DE', [0, 900], [{ name: 'DE', values: [1, 2] }]),
      doc('load', 'FR', [0], [{ name: 'FR', values: [5] }]),
    ]);
    expect(view.mode).to.equal('line');
    expect(view.t).to.deep.equal([0, 900]);
    expect(view.series.map((s) => s.name)).to.deep.equal(['DE', 'FR']);
  });

  it('stacks generation by type unless one type is chosen', () => {
    const gen = [doc('generation', 'DE', [0], [{ name: 'Solar', values: [1] }])];
    expect(chartView({ ...DEFAULT_VIEW, dataset: 'generation' }, gen).mode).to.equal('stacked');
    expect(chartView({ ...DEFAULT_VIEW, dataset: 'generation', type: 'Solar' }, gen).mode).to.equal('line');
  });
});
