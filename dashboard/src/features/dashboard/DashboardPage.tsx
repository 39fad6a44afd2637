import { useEffect, useMemo, useState } from 'preact/hooks';
import type { Profile } from '../../api/types';
import { navigate, useLocation } from '../../app/router';
import { Loading } from '../../app/Loading';
import { Notice } from '../../app/Notice';
import { useAreas, useNeighbours, useProductionTypes } from '../../data/catalog';
import { refreshSession } from '../../session/session';
import { SeriesChart } from '../charts/SeriesChart';
import { CountryMap } from '../map/CountryMap';
import { MEASURE_LABELS } from '../map/measures';
import { StatsPanel } from '../stats/StatsPanel';
import { areaTimeZone } from './area-time-zone';
import { chartView } from './chart-view';
import { AreaPicker, areaLabel } from './controls/AreaPicker';
import { CompareAreas } from './controls/CompareAreas';
import { DatasetTabs } from './controls/DatasetTabs';
import { RangeControl } from './controls/RangeControl';
import { SeriesFilter } from './controls/SeriesFilter';
import { ViewOptions } from './controls/ViewOptions';
import { ExportButtons } from './ExportButtons';
import { StatusBar } from './StatusBar';
import { useDashboardData } from './use-dashboard-data';
import {
  effectiveResolution,
  MAP_MEASURES,
  parseView,
  resolveRange,
  serializeView,
  type ViewState,
} from './view-state';
import './dashboard.css';

/** The clock the range presets and "late" warnings use; a minute's precision is plenty. */
function useMinuteClock(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => {
      setNow(Date.now());
    }, 60_000);
    return () => {
      clearInterval(timer);
    };
  }, []);
  return now;
}

/**
 * The subscriber's dashboard: a map of Europe to pick a country, the chart of the chosen dataset over
 * the chosen range with its statistics, all following live updates. Every choice lives in the URL.
 */
export function DashboardPage(_props: { profile: Profile }) {
  const location = useLocation();
  const view = useMemo(() => parseView(location.search), [location.search]);
  const update = (change: Partial<ViewState>) => {
    const query = serializeView({ ...view, ...change });
    navigate(`/app${query ? `?${query}` : ''}`, { replace: true });
  };
  const now = useMinuteClock();
  const areas = useAreas(view.dataset);
  const coverage = areas.data?.find((a) => a.area === view.area);
  const range = useMemo(
    () => resolveRange(view.range, coverage, Math.floor(now / 1000)),
    [view.range, coverage, now],
  );
  const resolution = effectiveResolution(view.resolution, range.from, range.to);
  const timeZone = view.tz === 'utc' ? 'UTC' : areaTimeZone(view.area);
  const types = useProductionTypes(view.area);
  const neighbours = useNeighbours(view.area);
  const data = useDashboardData(view, range, resolution, () => {
    void refreshSession();
  });
  const chart = useMemo(() => chartView(view, data.docs ?? []), [view, data.docs]);
  const [chartRoot, setChartRoot] = useState<HTMLElement | null>(null);
  const areaList = areas.data ?? [];
  const mapValues = data.snapshot.data?.[view.measure] ?? {};

  return (
    <div class="dashboard">
      <header class="dashboard-head">
        <h1>{areaLabel(coverage, view.area)}</h1>
        <DatasetTabs
          value={view.dataset}
          onChange={(dataset) => {
            update({ dataset, type: null, partner: null });
          }}
        />
        <StatusBar
          freshness={data.freshness.data}
          area={view.area}
          live={data.live.status}
          lastEvent={data.live.lastEvent}
          now={now}
        />
      </header>

      <div class="dashboard-grid" role="tabpanel" aria-labelledby={`tab-${view.dataset}`}>
        <section class="panel map-panel" aria-label="Map of Europe">
          <div class="panel-head">
            <h2>Europe now</h2>
            <label class="field inline">
              <span class="field-label">Colour by</span>
              <select
                value={view.measure}
                onChange={(e) => {
                  update({ measure: e.currentTarget.value as ViewState['measure'] });
                }}
              >
                {MAP_MEASURES.map((m) => (
                  <option key={m} value={m}>
                    {MEASURE_LABELS[m]}
                  </option>
                ))}
              </select>
            </label>
          </div>
          <CountryMap
            values={mapValues}
            measure={view.measure}
            selected={view.area}
            flows={data.snapshot.data?.flows ?? []}
            onSelect={(area) => {
              update({ area, compare: view.compare.filter((c) => c !== area), partner: null });
            }}
          />
        </section>

        <section class="panel controls-panel" aria-label="What to show">
          <AreaPicker
            id="area"
            label="Area"
            areas={areaList}
            value={view.area}
            onChange={(area) => {
              update({ area, compare: view.compare.filter((c) => c !== area), partner: null });
            }}
          />
          {view.dataset === 'generation' ? (
            <SeriesFilter
              label="Production type"
              allLabel="All types, stacked"
              options={types.data ?? []}
              value={view.type}
              onChange={(type) => {
                update({ type });
              }}
            />
          ) : (
            <CompareAreas
              areas={areaList}
              main={view.area}
              value={view.compare}
              onChange={(compare) => {
                update({ compare });
              }}
            />
          )}
          {view.dataset === 'flows' && view.compare.length === 0 && (
            <SeriesFilter
              label="Neighbour"
              allLabel="Every neighbour and the net balance"
              options={neighbours.data ?? []}
              value={view.partner}
              onChange={(partner) => {
                update({ partner });
              }}
            />
          )}
          <RangeControl
            range={view.range}
            resolved={range}
            onChange={(r) => {
              update({ range: r });
            }}
          />
          <ViewOptions
            resolution={view.resolution}
            effective={resolution}
            tz={view.tz}
            localZone={areaTimeZone(view.area)}
            onResolution={(r) => {
              update({ resolution: r });
            }}
            onTimeZone={(tz) => {
              update({ tz });
            }}
          />
        </section>

        <section class="panel chart-panel" aria-label="Chart">
          <div class="panel-head">
            <h2>{chart.title}</h2>
            <ExportButtons
              view={view}
              chart={chart}
              resolution={resolution}
              timeZone={timeZone}
              chartRoot={chartRoot}
            />
          </div>
          {data.error ? (
            <Notice tone="error" title="The data could not be loaded">
              {data.error.message}
            </Notice>
          ) : !data.docs ? (
            <Loading label="Loading the chart…" />
          ) : chart.t.length === 0 ? (
            <Notice tone="info" title="No data in this range">
              Pick another range or area; the map shows which countries have data.
            </Notice>
          ) : (
            <SeriesChart
              t={chart.t}
              series={chart.series}
              mode={chart.mode}
              timeZone={timeZone}
              title={chart.title}
              onReady={setChartRoot}
              onZoom={(from, to) => {
                update({ range: { from: Math.floor(from), to: Math.ceil(to) } });
              }}
            />
          )}
        </section>

        <section class="panel stats-panel" aria-label="Statistics">
          <h2>Statistics</h2>
          {data.stats.data ? (
            <StatsPanel stats={data.stats.data} dataset={view.dataset} timeZone={timeZone} />
          ) : data.stats.error ? (
            <Notice tone="error">{data.stats.error.message}</Notice>
          ) : (
            <Loading label="Computing statistics…" />
          )}
        </section>
      </div>
    </div>
  );
}
