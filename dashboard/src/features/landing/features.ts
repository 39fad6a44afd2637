import type { FeatureIconName } from './FeatureIcon';

/** What the landing page says a subscriber gets, one card each. */
export const FEATURES: readonly { icon: FeatureIconName; title: string; text: string }[] = [
  {
    icon: 'map',
    title: 'A map of Europe',
    text: 'Every country coloured by its current load, renewable share or net imports. Click one to open it.',
  },
  {
    icon: 'load',
    title: 'Load',
    text: 'Actual total load per country, from 15-minute intervals to monthly averages, for any range.',
  },
  {
    icon: 'mix',
    title: 'Generation mix',
    text: 'Solar, wind, hydro, nuclear, gas, coal and more, stacked by production type in consistent colours.',
  },
  {
    icon: 'flows',
    title: 'Cross-border flows',
    text: 'Physical flows to and from each neighbour, and whether a country imports or exports on balance.',
  },
  {
    icon: 'stats',
    title: 'Statistics',
    text: 'Minimum and maximum with their times, mean, percentiles, energy, shares and the daily profile.',
  },
  {
    icon: 'live',
    title: 'Live, and yours to export',
    text: 'Charts update as ENTSO-E publishes. Export CSV, JSON or PNG, or use the API with a personal token.',
  },
];
