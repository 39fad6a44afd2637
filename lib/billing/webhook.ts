import Stripe from 'stripe';
import { clientError } from '../../actors/runtime/client-error.js';

/**
 * Stripe's own default: a signed payload older than five minutes is refused as a possible replay. The
 * same window applies ahead of now, which is far more than the clock skew between two NTP-synced hosts.
 */
export const WEBHOOK_TOLERANCE_SECONDS = 300;

const badSignature = (why: string) => clientError(400, 'BAD_SIGNATURE', `webhook signature rejected: ${why}`);

/** A signed body that is not a Stripe event: the sender's fault, never retried into a 500. */
export const malformedEvent = (why: string) =>
  clientError(400, 'MALFORMED_EVENT', `the webhook body is not a Stripe event: ${why}`);

/**
 * What Stripe's event ids (`evt_…`) and types (`invoice.paid`) are made of: printable ASCII without
 * spaces. Both are stored, and PostgreSQL refuses a NUL in text with an error, not a 400.
 */
const STRIPE_NAME = /^[\x21-\x7e]{1,255}$/;

function isJson(bytes: Buffer): boolean {
  try {
    JSON.parse(bytes.toString('utf8'));
    return true;
  } catch {
    return false;
  }
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The `t=` of a `Stripe-Signature` header, the one the signature covers. The library checks only that
 * it is not too old (a signature dated a day ahead passes and stays replayable for a day), so the future
 * side is checked here; a header with no or several timestamps is refused rather than guessed at.
 */
function signedAt(signature: string): number {
  const stamps = signature
    .split(',')
    .map((item) => item.split('='))
    .filter(([key]) => key === 't')
    .map(([, value]) => value ?? '');
  const [stamp] = stamps;
  if (stamps.length !== 1 || stamp === undefined || !/^\d{1,12}$/.test(stamp))
    throw badSignature('expected exactly one timestamp');
  return Number(stamp);
}

/**
 * The event in a webhook request, once its `Stripe-Signature` proves Stripe sent these exact bytes
 * recently. A missing, wrong, stale or future-dated signature is the sender's fault: 400, and Stripe shows
 * it in the dashboard instead of retrying for days. So is a signed body that is not an event (not JSON,
 * or without an id, a type and a data object).
 */
export function verifiedEvent(
  stripe: Stripe,
  rawBody: Buffer,
  signature: string,
  secret: string,
): Stripe.Event {
  let parsed: unknown;
  let unreadable: string | undefined;
  try {
    parsed = stripe.webhooks.constructEvent(rawBody, signature, secret, WEBHOOK_TOLERANCE_SECONDS);
  } catch (err) {
    if (err instanceof Stripe.errors.StripeSignatureVerificationError) throw badSignature(err.message);
    // The library verifies before it reads the body, so any other error is about signed bytes it could
    // not take as a snapshot event: not JSON, or a thin (v2) event notification. Its own message is a
    // JSON parser's ("Unexpected token …") or meant for the integrating developer: said plainly instead.
    unreadable = isJson(rawBody) ? 'a thin event notification' : 'not JSON';
  }
  if (signedAt(signature) - Math.floor(Date.now() / 1000) > WEBHOOK_TOLERANCE_SECONDS)
    throw badSignature('Timestamp outside the tolerance zone (in the future)');
  if (unreadable !== undefined) throw malformedEvent(unreadable);
  if (!isObject(parsed)) throw malformedEvent('not a JSON object');
  const { id, type, data } = parsed;
  if (typeof id !== 'string' || !STRIPE_NAME.test(id)) throw malformedEvent('no event id');
  if (typeof type !== 'string' || !STRIPE_NAME.test(type)) throw malformedEvent('no event type');
  if (!isObject(data) || !isObject(data.object)) throw malformedEvent('no data object');
  return parsed as unknown as Stripe.Event;
}
