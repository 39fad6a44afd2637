import { formatPower } from '../charts/units';

const BAR = 10;
const GAP = 2;
const HEIGHT = 64;
const LABEL = 14;
const WIDTH = 24 * (BAR + GAP) - GAP;

const hourLabel = (hour: number) => `${String(hour).padStart(2, '0')}:00`;

/** Mean power by hour of day as 24 bars: a sketch of the daily shape, exact values in each bar's tooltip. */
export function ProfileBars({ values, caption }: { values: (number | null)[]; caption: string }) {
  const known = values.filter((v): v is number => v !== null);
  if (known.length === 0) return null;
  const top = Math.max(0, ...known);
  const bottom = Math.min(0, ...known);
  const span = top - bottom || 1;
  const y = (v: number) => ((top - v) / span) * HEIGHT;
  const highest = values.indexOf(Math.max(...known));
  const lowest = values.indexOf(Math.min(...known));
  const summary =
    `${caption}: highest at ${hourLabel(highest)} (${formatPower(values[highest] ?? 0)}), ` +
    `lowest at ${hourLabel(lowest)} (${formatPower(values[lowest] ?? 0)})`;
  return (
    <figure class="stats-profile">
      <figcaption>{caption}</figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT + LABEL}`} role="img" aria-label={summary}>
        <line class="stats-profile-zero" x1={0} x2={WIDTH} y1={y(0)} y2={y(0)} />
        {values.map((v, hour) =>
          v === null ? null : (
            <rect
              key={hour}
              x={hour * (BAR + GAP)}
              y={Math.min(y(v), y(0))}
              width={BAR}
              height={Math.max(Math.abs(y(v) - y(0)), 0.5)}
            >
              <title>{`${hourLabel(hour)}: ${formatPower(v)}`}</title>
            </rect>
          ),
        )}
        {[0, 6, 12, 18].map((hour) => (
          <text key={hour} x={hour * (BAR + GAP)} y={HEIGHT + LABEL - 2}>
            {hourLabel(hour)}
          </text>
        ))}
      </svg>
    </figure>
  );
}
