import type { ComponentChildren } from 'preact';
import type { DatasetName, SeriesStats, StatsResult } from '../../api/types';
import { formatEnergy, formatPower, formatShare } from '../charts/units';
import { BalanceTable } from './BalanceTable';
import { ProfileBars } from './ProfileBars';
import { renewableShare } from './renewables';
import { SeriesFiguresTable } from './SeriesFiguresTable';
import { SharesList } from './SharesList';
import { formatOffset, formatWhen, netLabel, profileInZone, sumProfiles } from './stats-format';
import './StatsPanel.css';

export interface StatsPanelProps {
  stats: StatsResult;
  dataset: DatasetName;
  timeZone: string;
}

function Figure({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <div class="stats-figure">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

const power = (v: number | null) => (v === null ? '–' : formatPower(v));

/** Min and max with when, mean, percentiles and energy of one series. */
function SeriesFigures({ series, timeZone }: { series: SeriesStats; timeZone: string }) {
  return (
    <>
      <Figure label="Minimum">
        {power(series.min?.value ?? null)}
        {series.min && <span class="stats-when">{formatWhen(series.min.t, timeZone)}</span>}
      </Figure>
      <Figure label="Maximum">
        {power(series.max?.value ?? null)}
        {series.max && <span class="stats-when">{formatWhen(series.max.t, timeZone)}</span>}
      </Figure>
      <Figure label="Mean">{power(series.mean)}</Figure>
      <Figure label="p5 · p50 · p95">
        {power(series.p5)} · {power(series.p50)} · {power(series.p95)}
      </Figure>
      <Figure label="Energy">{formatEnergy(series.energyMWh)}</Figure>
    </>
  );
}

function profileCaption(dataset: DatasetName, series: SeriesStats[]): string {
  if (dataset === 'load') return 'Mean load by hour of day';
  if (dataset === 'generation') return 'Mean generation by hour of day';
  const only = series.length === 1 ? series[0] : undefined;
  return only ? `Mean flow ${only.name} by hour of day` : 'Mean exports by hour of day';
}

/**
 * Statistics of what the chart shows: extremes with their times, mean, percentiles, energy; for generation the
 * share of each type and of renewables; for flows the balance over every border; and the daily profile.
 */
export function StatsPanel({ stats, dataset, timeZone }: StatsPanelProps) {
  const series = stats.series;
  // An area may only import: no flow out of it, yet a balance.
  const balance = dataset === 'flows' ? stats.balance : undefined;
  if (series.length === 0 && !balance) {
    return (
      <div class="stats-summary">
        <p class="stats-muted">No data in this range.</p>
      </div>
    );
  }
  const only = series.length === 1 ? series[0] : undefined;
  const renewable = dataset === 'generation' ? renewableShare(stats.shares) : null;
  const totalEnergy = series.reduce((n, s) => n + s.energyMWh, 0);
  const totalMean = series.reduce((n, s) => n + (s.mean ?? 0), 0);
  const profile = profileInZone(
    sumProfiles(series.map((s) => s.profile)),
    timeZone,
    Math.round((stats.from + stats.to) / 2),
  );
  const zone = timeZone === 'UTC' ? 'UTC' : `${timeZone}, ${formatOffset(profile.offsetSeconds)}`;

  return (
    <div class="stats-summary">
      <dl class="stats-figures">
        {only ? (
          <SeriesFigures series={only} timeZone={timeZone} />
        ) : (
          dataset === 'generation' && (
            <>
              <Figure label="Energy">{formatEnergy(totalEnergy)}</Figure>
              <Figure label="Mean power">{formatPower(totalMean)}</Figure>
            </>
          )
        )}
        {renewable !== null && <Figure label="Renewable share">{formatShare(renewable)}</Figure>}
        {balance && (
          <>
            <Figure label="Imports">{formatEnergy(balance.importMWh)}</Figure>
            <Figure label="Exports">{formatEnergy(balance.exportMWh)}</Figure>
            <Figure label="Balance">{netLabel(balance.netImportMWh)}</Figure>
          </>
        )}
      </dl>
      {dataset === 'generation' && stats.shares && !only && (
        <SharesList shares={stats.shares} series={series} />
      )}
      {balance && <BalanceTable balance={balance} />}
      {series.length > 1 && (
        <details class="stats-details">
          <summary>
            {dataset === 'generation' ? 'Figures by production type' : 'Figures by direction'}
          </summary>
          <SeriesFiguresTable
            series={series}
            timeZone={timeZone}
            caption={dataset === 'generation' ? 'Production types' : 'Flows'}
          />
        </details>
      )}
      <ProfileBars values={profile.values} caption={`${profileCaption(dataset, series)} (${zone})`} />
      <p class="stats-muted stats-note">Times in {timeZone}.</p>
    </div>
  );
}
