import type { Context, Service, ServiceSchema } from 'moleculer';
import { createCheckout, createPortal } from '../../lib/billing/checkout.js';
import { createStripeClient } from '../../lib/billing/stripe-client.js';
import { handleStripeEvent } from '../../lib/billing/subscription-state.js';
import { verifiedEvent } from '../../lib/billing/webhook.js';
import { clientError } from '../runtime/client-error.js';
import { announceAccountChange } from '../accounts/account-changed.js';
import type { ProcessContext } from '../runtime/process-context.js';
import type { BillingStatus } from '../../lib/api/json-shapes.js';
export type { BillingStatus };

/**
 * Billing actor: Stripe Checkout and customer portal sessions for signed-in users, and the Stripe
 * webhook that keeps each account's subscription. Without a Stripe secret key, webhook secret and price,
 * EnergyLive runs and every action but `status` answers 503 BILLING_UNAVAILABLE.
 */
export function billingService(ctx: ProcessContext): ServiceSchema {
  const { billing, accounts } = ctx.config;
  const { stripeSecretKey, stripeWebhookSecret, stripePriceId } = billing;
  const stripe =
    stripeSecretKey && stripeWebhookSecret && stripePriceId
      ? {
          client: createStripeClient({ ...billing, stripeSecretKey }),
          webhookSecret: stripeWebhookSecret,
          settings: {
            stripePriceId,
            trialDays: billing.trialDays,
            publicUrl: accounts.publicUrl,
          },
        }
      : null;
  const configured = () => {
    if (!stripe)
      throw clientError(503, 'BILLING_UNAVAILABLE', 'subscriptions are not available on this installation');
    return stripe;
  };

  return {
    name: 'billing',
    actions: {
      status: {
        handler(): BillingStatus {
          return {
            available: stripe !== null,
            trialDays: billing.trialDays,
            ...(stripe ? { priceId: stripe.settings.stripePriceId } : {}),
          };
        },
      },
      /** A Stripe Checkout URL for the monthly plan. */
      checkout: {
        params: { userId: 'string', email: 'string' },
        async handler(c: Context<{ userId: string; email: string }>): Promise<{ url: string }> {
          const { client, settings } = configured();
          return createCheckout(await ctx.accountsDb(), client, settings, {
            id: c.params.userId,
            email: c.params.email,
          });
        },
      },
      /** A Stripe customer portal URL: payment details, invoices, cancellation. */
      portal: {
        params: { userId: 'string' },
        async handler(c: Context<{ userId: string }>): Promise<{ url: string }> {
          const { client, settings } = configured();
          return createPortal(await ctx.accountsDb(), client, settings, c.params.userId);
        },
      },
      /**
       * One webhook request: `payload` is the raw body in base64, so the bytes the signature covers
       * cross the transporter unchanged whatever they contain.
       */
      webhook: {
        params: { payload: 'string', signature: 'string' },
        async handler(
          this: Service,
          c: Context<{ payload: string; signature: string }>,
        ): Promise<{ received: true }> {
          const { client, webhookSecret } = configured();
          const event = verifiedEvent(
            client,
            Buffer.from(c.params.payload, 'base64'),
            c.params.signature,
            webhookSecret,
          );
          const outcome = await handleStripeEvent(await ctx.accountsDb(), client, event);
          this.logger.info({ event: 'stripe_event', id: event.id, type: event.type, ...outcome });
          if ('userId' in outcome && outcome.userId) await announceAccountChange(this.broker, outcome.userId);
          return { received: true };
        },
      },
    },
  };
}
