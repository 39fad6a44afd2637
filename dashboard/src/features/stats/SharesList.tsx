import type { SeriesStats } from '../../api/types';
import { productionTypeColor } from '../charts/colors';
import { formatEnergy, formatShare } from '../charts/units';

/** Each production type's share of the energy generated, largest first, with a bar in the type's colour. */
export function SharesList({ shares, series }: { shares: Record<string, number>; series: SeriesStats[] }) {
  const energy = new Map(series.map((s) => [s.name, s.energyMWh]));
  const rows = Object.entries(shares).sort(([a, x], [b, y]) => y - x || a.localeCompare(b));
  return (
    <ul class="stats-shares" aria-label="Share of generation by production type">
      {rows.map(([type, share]) => (
        <li key={type}>
          <span class="stats-share-name">{type}</span>
          <span class="stats-share-value">
            {formatShare(share)}
            <span class="stats-muted"> · {formatEnergy(energy.get(type) ?? 0)}</span>
          </span>
          <span class="stats-share-track" aria-hidden="true">
            <span
              class="stats-share-bar"
              style={{ width: `${(share * 100).toFixed(2)}%`, background: productionTypeColor(type) }}
            />
          </span>
        </li>
      ))}
    </ul>
  );
}
