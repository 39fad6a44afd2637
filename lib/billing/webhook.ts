import Stripe from 'stripe';
import { clientError } from '../../actors/runtime/client-error.js';

/** Stripe's own default: a signed payload older than five minutes is refused as a possible replay. */
export const WEBHOOK_TOLERANCE_SECONDS = 300;

/**
 * The event in a webhook request, once its `Stripe-Signature` proves Stripe sent these exact bytes
 * recently. A missing, wrong or stale signature is the sender's fault: 400, and Stripe shows it in the
 * dashboard instead of retrying for days.
 */
export function verifiedEvent(
  stripe: Stripe,
  rawBody: Buffer,
  signature: string,
  secret: string,
): Stripe.Event {
  try {
    return stripe.webhooks.constructEvent(rawBody, signature, secret, WEBHOOK_TOLERANCE_SECONDS);
  } catch (err) {
    if (err instanceof Stripe.errors.StripeSignatureVerificationError)
      throw clientError(400, 'BAD_SIGNATURE', `webhook signature rejected: ${err.message}`);
    throw err;
  }
}
