import type { ServiceBroker } from 'moleculer';
import type { BillingStatus } from '../actors/billing/billing.service.js';

/** What the gateway asks of the billing actor. */
export interface BillingClient {
  status(): Promise<BillingStatus>;
  checkout(user: { id: string; email: string }): Promise<{ url: string }>;
  portal(userId: string): Promise<{ url: string }>;
  /** Hands a Stripe webhook request over: the raw body exactly as received, and its signature header. */
  webhook(rawBody: Buffer, signature: string): Promise<{ received: true }>;
}

/** The billing actor reached through Moleculer: in this process or another one on NATS. */
export function brokerBillingClient(broker: ServiceBroker): BillingClient {
  return {
    status: () => broker.call<BillingStatus>('billing.status'),
    checkout: (user) =>
      broker.call<{ url: string }, { userId: string; email: string }>('billing.checkout', {
        userId: user.id,
        email: user.email,
      }),
    portal: (userId) => broker.call<{ url: string }, { userId: string }>('billing.portal', { userId }),
    webhook: (rawBody, signature) =>
      broker.call<{ received: true }, { payload: string; signature: string }>('billing.webhook', {
        payload: rawBody.toString('base64'),
        signature,
      }),
  };
}
