import type { Resolution } from '../../api/types';
import { chartToPng, downloadBlob, downloadText, seriesToCsv, seriesToJson } from '../export/export';
import type { ChartView } from './chart-view';
import type { ViewState } from './view-state';

/** CSV, JSON and PNG of exactly what the chart shows: its series, range, resolution and time zone. */
export function ExportButtons(props: {
  view: ViewState;
  chart: ChartView;
  resolution: Resolution;
  timeZone: string;
  chartRoot: HTMLElement | null;
}) {
  const base = `energylive-${props.view.dataset}-${[props.view.area, ...props.view.compare].join('-')}`;
  return (
    <div class="export-buttons" role="group" aria-label="Export">
      <button
        type="button"
        class="button button-small"
        onClick={() => {
          downloadText(
            `${base}.csv`,
            'text/csv',
            seriesToCsv(props.chart.t, props.chart.series, props.timeZone),
          );
        }}
      >
        CSV
      </button>
      <button
        type="button"
        class="button button-small"
        onClick={() => {
          downloadText(
            `${base}.json`,
            'application/json',
            seriesToJson({
              dataset: props.view.dataset,
              area: props.view.area,
              resolution: props.resolution,
              t: props.chart.t,
              series: props.chart.series,
            }),
          );
        }}
      >
        JSON
      </button>
      <button
        type="button"
        class="button button-small"
        disabled={!props.chartRoot}
        onClick={() => {
          const root = props.chartRoot;
          if (root)
            void chartToPng(root).then((png) => {
              downloadBlob(`${base}.png`, png);
            });
        }}
      >
        PNG
      </button>
    </div>
  );
}
