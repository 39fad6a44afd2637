/**
 * The plan as the pages describe it. The price is display text only: what subscribers are charged is
 * Stripe's price object (`STRIPE_PRICE_ID`), the source of truth for billing; change this with it.
 */
export const PLAN_PRICE_TEXT = '€29 / month';

export const PLAN_NAME = 'EnergyLive';

/** What a subscription opens, in the order a subscriber meets it. */
export const PLAN_BENEFITS: readonly string[] = [
  'Interactive map of Europe: load, renewable share and net imports per country',
  'Load, generation by production type and cross-border flows, from 15 minutes to monthly',
  'Statistics for any range: min and max, percentiles, energy, shares, daily profile',
  'Live updates as ENTSO-E publishes, with no reload',
  'CSV, JSON and PNG exports, and personal API tokens for scripts',
];
