import type { SeriesStats } from '../../api/types';
import { formatEnergy, formatPower } from '../charts/units';
import { formatWhen } from './stats-format';

const power = (v: number | null) => (v === null ? '–' : formatPower(v));

function Extreme({ extreme, timeZone }: { extreme: SeriesStats['min']; timeZone: string }) {
  if (!extreme) return <>–</>;
  return (
    <>
      {formatPower(extreme.value)}
      <span class="stats-when">{formatWhen(extreme.t, timeZone)}</span>
    </>
  );
}

/** The figures of several series side by side (production types, or a flow's directions). */
export function SeriesFiguresTable({
  series,
  timeZone,
  caption,
}: {
  series: SeriesStats[];
  timeZone: string;
  caption: string;
}) {
  return (
    <div class="stats-scroll">
      <table class="stats-table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Series</th>
            <th scope="col">Min</th>
            <th scope="col">Max</th>
            <th scope="col">Mean</th>
            <th scope="col">p5</th>
            <th scope="col">p50</th>
            <th scope="col">p95</th>
            <th scope="col">Energy</th>
          </tr>
        </thead>
        <tbody>
          {series.map((s) => (
            <tr key={s.name}>
              <th scope="row">{s.name}</th>
              <td>
                <Extreme extreme={s.min} timeZone={timeZone} />
              </td>
              <td>
                <Extreme extreme={s.max} timeZone={timeZone} />
              </td>
              <td>{power(s.mean)}</td>
              <td>{power(s.p5)}</td>
              <td>{power(s.p50)}</td>
              <td>{power(s.p95)}</td>
              <td>{formatEnergy(s.energyMWh)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
