import Stripe from 'stripe';
import type { AccountsDb, Sql } from '../accounts/database.js';
import { malformedEvent } from './webhook.js';

/** What handling one webhook event did, for the log and for tests. */
export interface EventOutcome {
  /** The event id was stored before: this delivery changed nothing. */
  duplicate: boolean;
  /** The account whose subscription the event concerned, when one was found. */
  userId?: string;
  /** The subscription's status as Stripe reported it while handling the event. */
  status?: string;
}

/** A subscription an event is about, and the account the event itself names, if it names one. */
interface SubscriptionReference {
  subscriptionId: string;
  userId: string | undefined;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Subscriptions that are over for good: they never replace another subscription of the account. */
const ENDED_STATUSES = ['canceled', 'incomplete_expired'];

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * An id where Stripe puts either the id or the expanded object; absent as null. Anything else means the
 * signed body is not what Stripe sends, and is refused before anything is stored.
 */
function idOf(ref: unknown, field: string): string | null {
  if (ref === null || ref === undefined) return null;
  const id = isObject(ref) ? ref.id : ref;
  if (typeof id !== 'string' || id === '') throw malformedEvent(`${field} is not an id`);
  return id;
}

function optionalString(value: unknown, field: string): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value !== 'string') throw malformedEvent(`${field} is not a string`);
  return value;
}

function objectOrNothing(value: unknown, field: string): Record<string, unknown> {
  if (value === null || value === undefined) return {};
  if (!isObject(value)) throw malformedEvent(`${field} is not an object`);
  return value;
}

/** Read field by field from the event as received: its types say what Stripe sends, not what arrived. */
function subscriptionReference(event: Stripe.Event): SubscriptionReference | null {
  const object = event.data.object as unknown as Record<string, unknown>;
  switch (event.type) {
    case 'checkout.session.completed': {
      const subscriptionId = idOf(object.subscription, 'subscription');
      const userId = optionalString(object.client_reference_id, 'client_reference_id');
      if (object.mode !== 'subscription' || !subscriptionId) return null;
      return { subscriptionId, userId };
    }
    case 'customer.subscription.created':
    case 'customer.subscription.updated':
    case 'customer.subscription.deleted':
    case 'customer.subscription.paused':
    case 'customer.subscription.resumed': {
      const subscriptionId = idOf(object.id, 'id');
      if (!subscriptionId) throw malformedEvent('the subscription has no id');
      const metadata = objectOrNothing(object.metadata, 'metadata');
      return { subscriptionId, userId: optionalString(metadata.userId, 'metadata.userId') };
    }
    case 'invoice.paid':
    case 'invoice.payment_failed':
    case 'invoice.payment_succeeded': {
      const parent = objectOrNothing(object.parent, 'parent');
      const details = objectOrNothing(parent.subscription_details, 'parent.subscription_details');
      // API versions before 2025-03-31 name the subscription on the invoice itself.
      const subscriptionId =
        idOf(details.subscription, 'parent.subscription_details.subscription') ??
        idOf(object.subscription, 'subscription');
      return subscriptionId ? { subscriptionId, userId: undefined } : null;
    }
    default:
      return null;
  }
}

/** The subscription as Stripe has it now, or null when Stripe does not know it (another account or mode). */
async function currentSubscription(stripe: Stripe, id: string): Promise<Stripe.Subscription | null> {
  try {
    return await stripe.subscriptions.retrieve(id);
  } catch (err) {
    if (err instanceof Stripe.errors.StripeInvalidRequestError && err.statusCode === 404) return null;
    throw err;
  }
}

/** The period end; API versions from 2025-03-31 keep it on each item instead of the subscription. */
export function currentPeriodEnd(subscription: Stripe.Subscription): number | null {
  const legacy = (subscription as { current_period_end?: number }).current_period_end;
  return subscription.items.data[0]?.current_period_end ?? legacy ?? null;
}

/**
 * The account a subscription belongs to: the one holding its customer, else the one our checkout named
 * (subscription metadata or the session's client_reference_id), which then keeps the customer too.
 */
async function owner(
  tx: Sql,
  subscription: Stripe.Subscription,
  named: string | undefined,
): Promise<string | null> {
  const customerId =
    typeof subscription.customer === 'string' ? subscription.customer : subscription.customer.id;
  const [byCustomer] = await tx.query<{ id: string }>('SELECT id FROM users WHERE stripe_customer_id = $1', [
    customerId,
  ]);
  if (byCustomer) return byCustomer.id;
  const candidate = subscription.metadata.userId ?? named;
  if (candidate === undefined || !UUID.test(candidate)) return null;
  const [linked] = await tx.query<{ id: string }>(
    'UPDATE users SET stripe_customer_id = COALESCE(stripe_customer_id, $2) WHERE id = $1 RETURNING id',
    [candidate, customerId],
  );
  return linked?.id ?? null;
}

/**
 * Keeps the account's row: the same subscription only moves forward in `state_at`; another subscription
 * takes the row unless it has ended (a late event about an old, canceled subscription must not hide the
 * account's new one).
 */
async function storeSubscription(
  tx: Sql,
  userId: string,
  subscription: Stripe.Subscription,
  stateAt: number,
): Promise<void> {
  await tx.query(
    `INSERT INTO subscriptions
       (user_id, stripe_subscription_id, status, current_period_end, cancel_at_period_end, price_id, state_at, updated_at)
     VALUES ($1, $2, $3, to_timestamp($4), $5, $6, $7, now())
     ON CONFLICT (user_id) DO UPDATE SET
       stripe_subscription_id = EXCLUDED.stripe_subscription_id,
       status = EXCLUDED.status,
       current_period_end = EXCLUDED.current_period_end,
       cancel_at_period_end = EXCLUDED.cancel_at_period_end,
       price_id = EXCLUDED.price_id,
       state_at = EXCLUDED.state_at,
       updated_at = now()
     WHERE CASE WHEN subscriptions.stripe_subscription_id = EXCLUDED.stripe_subscription_id
                THEN subscriptions.state_at <= EXCLUDED.state_at
                ELSE EXCLUDED.status <> ALL ($8::text[]) END`,
    [
      userId,
      subscription.id,
      subscription.status,
      currentPeriodEnd(subscription),
      subscription.cancel_at_period_end,
      subscription.items.data[0]?.price.id ?? null,
      stateAt,
      ENDED_STATUSES,
    ],
  );
}

/**
 * Applies one verified webhook event. Each event id is stored once, in the same transaction as the state
 * it changes, so a redelivery is acknowledged and does nothing, and a failure leaves no trace and is
 * retried by Stripe. Event types that say nothing about a subscription are recorded and ignored.
 *
 * Why the subscription is fetched from Stripe instead of read from the event: Stripe delivers events in
 * any order and retries them for days, so an event's snapshot may be older than one already applied
 * (a late `updated: active` after `deleted`). Fetching gives the state as it is now whichever event
 * arrives; `state_at` (when it was fetched) keeps two deliveries handled at the same moment from storing
 * an older fetch over a newer one.
 */
export async function handleStripeEvent(
  db: AccountsDb,
  stripe: Stripe,
  event: Stripe.Event,
): Promise<EventOutcome> {
  // Checked first only to spare a redelivery the call to Stripe; the insert below is what guarantees once.
  const [seen] = await db.query('SELECT 1 FROM stripe_events WHERE id = $1', [event.id]);
  if (seen) return { duplicate: true };
  const reference = subscriptionReference(event);
  const fetchedAt = Date.now();
  const subscription = reference ? await currentSubscription(stripe, reference.subscriptionId) : null;
  return db.transaction(async (tx) => {
    const stored = await tx.query(
      'INSERT INTO stripe_events (id, type) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING RETURNING id',
      [event.id, event.type],
    );
    if (stored.length === 0) return { duplicate: true };
    if (!subscription) return { duplicate: false };
    const userId = await owner(tx, subscription, reference?.userId);
    if (userId === null) return { duplicate: false };
    await storeSubscription(tx, userId, subscription, fetchedAt);
    return { duplicate: false, userId, status: subscription.status };
  });
}
