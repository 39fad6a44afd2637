/** Line icons for the landing page's features, drawn in the text colour. */
const PATHS = {
  map: 'M9 4 3 6v14l6-2 6 2 6-2V4l-6 2-6-2Zm0 0v14m6-12v14',
  load: 'M3 17l5-6 4 3 5-7 4 4M3 21h18',
  mix: 'M3 20h18M5 20v-6m4 6V9m4 11v-8m4 8V5m4 15v-4',
  flows: 'M4 8h13l-3-3m3 3-3 3M20 16H7l3-3m-3 3 3 3',
  stats: 'M12 3v18M5 8h14M7 13h10M9 18h6',
  live: 'M12 12m-2 0a2 2 0 1 0 4 0a2 2 0 1 0-4 0M7.5 7.5a6.4 6.4 0 0 0 0 9M16.5 7.5a6.4 6.4 0 0 1 0 9M4.6 4.6a10.5 10.5 0 0 0 0 14.8M19.4 4.6a10.5 10.5 0 0 1 0 14.8',
} as const;

export type FeatureIconName = keyof typeof PATHS;

export function FeatureIcon(props: { name: FeatureIconName }) {
  return (
    <svg class="feature-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path d={PATHS[props.name]} />
    </svg>
  );
}
