import type Stripe from 'stripe';
import type { Sql } from '../accounts/database.js';
import { clientError } from '../../actors/runtime/client-error.js';

export interface CheckoutSettings {
  /** The monthly recurring price subscribers pay. */
  stripePriceId: string;
  /** Free days before the first payment; 0 means none. */
  trialDays: number;
  /** Where Stripe sends the browser back to. */
  publicUrl: string;
}

export interface BillingUser {
  id: string;
  email: string;
}

/**
 * Subscriptions that still bill the customer. A second one would charge twice; a late payment is fixed
 * in the portal, not by subscribing again.
 */
const BILLING_STATUSES = ['active', 'trialing', 'past_due'];

/** The account's Stripe customer, made on its first checkout and kept on the account. */
async function stripeCustomer(db: Sql, stripe: Stripe, user: BillingUser): Promise<string> {
  // One key per account: two clicks at once, or a retry after storing the id failed, get back the
  // customer Stripe already made instead of a second one.
  const customer = await stripe.customers.create(
    { email: user.email, metadata: { userId: user.id } },
    { idempotencyKey: `energylive-customer-${user.id}` },
  );
  const [stored] = await db.query<{ stripe_customer_id: string }>(
    'UPDATE users SET stripe_customer_id = COALESCE(stripe_customer_id, $2) WHERE id = $1 RETURNING stripe_customer_id',
    [user.id, customer.id],
  );
  if (!stored) throw clientError(404, 'NO_SUCH_USER', 'this account no longer exists');
  return stored.stripe_customer_id;
}

/** A Stripe Checkout page where `user` subscribes to the monthly plan; 409 when already subscribed. */
export async function createCheckout(
  db: Sql,
  stripe: Stripe,
  settings: CheckoutSettings,
  user: BillingUser,
): Promise<{ url: string }> {
  const [account] = await db.query<{ stripe_customer_id: string | null; status: string | null }>(
    'SELECT u.stripe_customer_id, s.status FROM users u LEFT JOIN subscriptions s ON s.user_id = u.id WHERE u.id = $1',
    [user.id],
  );
  if (!account) throw clientError(404, 'NO_SUCH_USER', 'this account no longer exists');
  if (account.status !== null && BILLING_STATUSES.includes(account.status))
    throw clientError(
      409,
      'ALREADY_SUBSCRIBED',
      'this account is already subscribed; manage it in the billing portal',
      {
        status: account.status,
      },
    );
  const customer = account.stripe_customer_id ?? (await stripeCustomer(db, stripe, user));
  const session = await stripe.checkout.sessions.create({
    mode: 'subscription',
    customer,
    client_reference_id: user.id,
    line_items: [{ price: settings.stripePriceId, quantity: 1 }],
    subscription_data: {
      metadata: { userId: user.id },
      ...(settings.trialDays > 0 ? { trial_period_days: settings.trialDays } : {}),
    },
    success_url: `${settings.publicUrl}/account?checkout=success`,
    cancel_url: `${settings.publicUrl}/account?checkout=cancel`,
  });
  if (!session.url) throw new Error(`Stripe returned checkout session ${session.id} without a URL`);
  return { url: session.url };
}

/** A Stripe customer portal page where the subscriber updates payment details or cancels. */
export async function createPortal(
  db: Sql,
  stripe: Stripe,
  settings: Pick<CheckoutSettings, 'publicUrl'>,
  userId: string,
): Promise<{ url: string }> {
  const [account] = await db.query<{ stripe_customer_id: string | null }>(
    'SELECT stripe_customer_id FROM users WHERE id = $1',
    [userId],
  );
  if (!account?.stripe_customer_id)
    throw clientError(409, 'NO_BILLING_ACCOUNT', 'this account has not subscribed yet');
  const session = await stripe.billingPortal.sessions.create({
    customer: account.stripe_customer_id,
    return_url: `${settings.publicUrl}/account`,
  });
  return { url: session.url };
}
