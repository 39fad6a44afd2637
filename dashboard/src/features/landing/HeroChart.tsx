/**
 * A stylised day of one country's generation mix, drawn from a few curves: an illustration of what the
 * dashboard shows, not data. Colours come from the theme's `--mix-*` properties.
 */

const WIDTH = 480;
const HEIGHT = 220;
const STEPS = 48;
const TAU = Math.PI * 2;

/** Each source's share of the chart's height over the day, x from 0 (midnight) to 1. */
const SOURCES: { name: string; share: (x: number) => number }[] = [
  { name: 'nuclear', share: () => 0.2 },
  { name: 'fossil', share: (x) => 0.1 + 0.05 * Math.cos(x * TAU) },
  { name: 'hydro', share: (x) => 0.09 + 0.03 * Math.sin(x * 2 * TAU + 1) },
  { name: 'wind', share: (x) => 0.13 + 0.07 * Math.sin(x * 1.5 * TAU + 0.6) },
  { name: 'solar', share: (x) => 0.26 * Math.max(0, Math.sin((x - 0.27) * TAU * 1.05)) },
];

const xAt = (i: number) => (i / STEPS) * WIDTH;
const yAt = (share: number) => HEIGHT - share * HEIGHT;
const fmt = (n: number) => n.toFixed(1);

/** The stack's highest point reaches this share of the height, leaving a little air above. */
const PEAK = 0.9;

function layers(): { name: string; d: string }[] {
  const xs = Array.from({ length: STEPS + 1 }, (_, i) => i / STEPS);
  const highest = Math.max(...xs.map((x) => SOURCES.reduce((sum, source) => sum + source.share(x), 0)));
  const base = new Array<number>(STEPS + 1).fill(0);
  return SOURCES.map(({ name, share }) => {
    const top = base.map((b, i) => b + (share(i / STEPS) * PEAK) / highest);
    const upper = top.map((v, i) => `${fmt(xAt(i))},${fmt(yAt(v))}`);
    const lower = base.map((v, i) => `${fmt(xAt(i))},${fmt(yAt(v))}`).reverse();
    top.forEach((v, i) => (base[i] = v));
    return { name, d: `M${upper.join('L')}L${lower.join('L')}Z` };
  });
}

const LAYERS = layers();

export function HeroChart() {
  return (
    <svg class="hero-chart" viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="presentation" focusable="false">
      {[0.25, 0.5, 0.75].map((f) => (
        <line key={f} class="hero-grid" x1="0" x2={WIDTH} y1={HEIGHT * f} y2={HEIGHT * f} />
      ))}
      {LAYERS.map((layer) => (
        <path key={layer.name} class={`hero-layer mix-${layer.name}`} d={layer.d} />
      ))}
    </svg>
  );
}
