import Stripe from 'stripe';
import type { BillingConfig } from '../config/env.js';

/**
 * The API version the installed `stripe` package's types describe. Written out rather than taken from
 * `Stripe.API_VERSION` so that upgrading the package fails to type-check here until someone has read
 * what the new version changes in subscriptions, invoices and events.
 */
const API_VERSION = '2026-10-28.endive';

/** A Stripe client for `config`'s secret key, talking to `stripeApiUrl` (Stripe, or a local stand-in). */
export function createStripeClient(config: BillingConfig & { stripeSecretKey: string }): Stripe {
  const api = new URL(config.stripeApiUrl);
  const https = api.protocol === 'https:';
  return new Stripe(config.stripeSecretKey, {
    apiVersion: API_VERSION,
    // Node's http.request wants an IPv6 host without the brackets a URL keeps.
    host: api.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: api.port || (https ? 443 : 80),
    protocol: https ? 'https' : 'http',
    maxNetworkRetries: 2,
    // Stripe waits about 20 s for a webhook answer; a webhook that retrieves a subscription must fit in it.
    timeout: 15_000,
  });
}
