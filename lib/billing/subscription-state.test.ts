import { expect } from 'chai';
import type Stripe from 'stripe';
import type { AccountsDb } from '../accounts/database.js';
import { asClientError } from '../../actors/runtime/client-error.js';
import { testAccountsDb } from '../../test/support/postgres.js';
import { StripeStandin, type StandinEvent } from '../../test/support/stripe-standin.js';
import { createCheckout } from './checkout.js';
import { createStripeClient } from './stripe-client.js';
import { currentPeriodEnd, handleStripeEvent, type EventOutcome } from './subscription-state.js';
import { verifiedEvent, WEBHOOK_TOLERANCE_SECONDS } from './webhook.js';

const SECRET = 'whsec_standin';

interface SubscriptionRow {
  stripe_subscription_id: string;
  status: string;
  current_period_end: Date | null;
  cancel_at_period_end: boolean;
  price_id: string | null;
}

describe('Stripe webhook events and subscription state', () => {
  let standin: StripeStandin;
  let db: AccountsDb;
  let dispose: () => Promise<void>;
  let stripe: Stripe;

  const settings = {
    stripePriceId: 'price_standin_monthly',
    trialDays: 0,
    publicUrl: 'https://energylive.example',
  };

  const receive = (event: StandinEvent, timestamp?: number): Promise<EventOutcome> => {
    const { payload, signature } = standin.signedWebhook(event, {
      secret: SECRET,
      ...(timestamp !== undefined ? { timestamp } : {}),
    });
    return handleStripeEvent(db, stripe, verifiedEvent(stripe, Buffer.from(payload), signature, SECRET));
  };
  const receiveAll = async (events: StandinEvent[]) => {
    for (const event of events) await receive(event);
  };
  const subscriptionOf = async (userId: string) =>
    (
      await db.query<SubscriptionRow>(
        'SELECT stripe_subscription_id, status, current_period_end, cancel_at_period_end, price_id FROM subscriptions WHERE user_id = $1',
        [userId],
      )
    )[0];
  const storedEvents = async () =>
    (await db.query<{ id: string }>('SELECT id FROM stripe_events')).map((r) => r.id);

  /** An account that went through checkout; its session is completed by the test. */
  const checkedOut = async (email: string, trialDays = 0) => {
    const [row] = await db.query<{ id: string }>('INSERT INTO users (email) VALUES ($1) RETURNING id', [
      email,
    ]);
    const userId = row!.id;
    await createCheckout(db, stripe, { ...settings, trialDays }, { id: userId, email });
    const session = standin.checkoutSessions.at(-1)!;
    return { userId, sessionId: session.id as string };
  };

  beforeEach(async () => {
    standin = await StripeStandin.start();
    ({ db, dispose } = await testAccountsDb('postgres'));
    stripe = createStripeClient({
      stripeSecretKey: standin.secretKey,
      stripeWebhookSecret: SECRET,
      stripePriceId: settings.stripePriceId,
      trialDays: 0,
      stripeApiUrl: standin.url,
    });
  });

  afterEach(async () => {
    await dispose();
    await standin.close();
  });

  it('stores an active subscription with its period end and price once checkout completes', async () => {
    const { userId, sessionId } = await checkedOut('ada@example.com');
    const events = standin.completeCheckout(sessionId);
    await receiveAll(events);
    const subscription = [...standin.subscriptions.values()][0]!;
    expect(await subscriptionOf(userId)).to.deep.equal({
      stripe_subscription_id: subscription.id,
      status: 'active',
      current_period_end: new Date(subscription.items.data[0]!.current_period_end * 1000),
      cancel_at_period_end: false,
      price_id: 'price_standin_monthly',
    });
    expect(await storedEvents()).to.have.members(events.map((e) => e.id));
  });

  it('stores a trialing subscription whose period ends with the trial', async () => {
    const { userId, sessionId } = await checkedOut('bo@example.com', 7);
    await receiveAll(standin.completeCheckout(sessionId));
    const row = await subscriptionOf(userId);
    expect(row!.status).to.equal('trialing');
    const days = (row!.current_period_end!.getTime() - Date.now()) / 86400_000;
    expect(days).to.be.within(6.99, 7.01);
  });

  it('finds the account from checkout.session.completed alone, by its client_reference_id', async () => {
    const { userId, sessionId } = await checkedOut('cy@example.com');
    await db.query('UPDATE users SET stripe_customer_id = NULL WHERE id = $1', [userId]);
    const completed = standin
      .completeCheckout(sessionId)
      .find((e) => e.type === 'checkout.session.completed')!;
    [...standin.subscriptions.values()][0]!.metadata = {};
    const outcome = await receive(completed);
    expect(outcome).to.deep.equal({ duplicate: false, userId, status: 'active' });
    const [user] = await db.query<{ stripe_customer_id: string }>(
      'SELECT stripe_customer_id FROM users WHERE id = $1',
      [userId],
    );
    expect(user!.stripe_customer_id).to.equal(completed.data.object.customer);
  });

  it('processes a redelivered event once and asks Stripe nothing the second time', async () => {
    const { userId, sessionId } = await checkedOut('dee@example.com');
    const [created] = standin.completeCheckout(sessionId);
    expect(await receive(created!)).to.include({ duplicate: false, status: 'active' });
    const fetches = standin.requests.filter((r) => r.path.startsWith('/v1/subscriptions/')).length;
    await db.query("UPDATE subscriptions SET status = 'marker' WHERE user_id = $1", [userId]);

    expect(await receive(created!)).to.deep.equal({ duplicate: true });
    expect(standin.requests.filter((r) => r.path.startsWith('/v1/subscriptions/'))).to.have.length(fetches);
    expect((await subscriptionOf(userId))!.status).to.equal('marker');
    expect(await storedEvents()).to.deep.equal([created!.id]);
  });

  it('processes an event delivered twice at the same moment once', async () => {
    const { sessionId } = await checkedOut('eli@example.com');
    const [created] = standin.completeCheckout(sessionId);
    const outcomes = await Promise.all([receive(created!), receive(created!)]);
    expect(outcomes.map((o) => o.duplicate).sort()).to.deep.equal([false, true]);
    expect(await storedEvents()).to.deep.equal([created!.id]);
  });

  it('ends canceled when the deletion arrives before an older update', async () => {
    const { userId, sessionId } = await checkedOut('fay@example.com');
    await receiveAll(standin.completeCheckout(sessionId));
    const id = [...standin.subscriptions.keys()][0]!;
    const updated = standin.updateSubscription(id, { cancel_at_period_end: true });
    const deleted = standin.cancelSubscription(id);
    await receive(deleted);
    await receive(updated);
    expect(await subscriptionOf(userId)).to.include({ status: 'canceled', cancel_at_period_end: false });
  });

  it('ends with the renewed period when renewals arrive newest first', async () => {
    const { userId, sessionId } = await checkedOut('gus@example.com');
    await receiveAll(standin.completeCheckout(sessionId));
    const id = [...standin.subscriptions.keys()][0]!;
    const end = standin.subscriptions.get(id)!.items.data[0]!.current_period_end;
    const first = standin.updateSubscription(id, { current_period_end: end + 30 * 86400 });
    const second = standin.updateSubscription(id, { current_period_end: end + 61 * 86400 });
    await receive(second);
    await receive(first);
    expect((await subscriptionOf(userId))!.current_period_end).to.deep.equal(
      new Date((end + 61 * 86400) * 1000),
    );
  });

  it('never stores a state fetched before the one already stored', async () => {
    const { userId, sessionId } = await checkedOut('hal@example.com');
    await receiveAll(standin.completeCheckout(sessionId));
    const later = Date.now() + 60_000;
    await db.query("UPDATE subscriptions SET status = 'past_due', state_at = $2 WHERE user_id = $1", [
      userId,
      later,
    ]);
    await receive(standin.updateSubscription([...standin.subscriptions.keys()][0]!, { status: 'active' }));
    expect((await subscriptionOf(userId))!.status).to.equal('past_due');
  });

  it('ends with status canceled after a cancellation', async () => {
    const { userId, sessionId } = await checkedOut('ida@example.com');
    await receiveAll(standin.completeCheckout(sessionId));
    await receive(standin.cancelSubscription([...standin.subscriptions.keys()][0]!));
    expect((await subscriptionOf(userId))!.status).to.equal('canceled');
  });

  it('keeps a new subscription when a late event about the old, canceled one arrives', async () => {
    const first = await checkedOut('jo@example.com');
    await receiveAll(standin.completeCheckout(first.sessionId));
    const oldId = [...standin.subscriptions.keys()][0]!;
    const deleted = standin.cancelSubscription(oldId);
    await receive(deleted);
    await createCheckout(db, stripe, settings, { id: first.userId, email: 'jo@example.com' });
    await receiveAll(standin.completeCheckout(standin.checkoutSessions.at(-1)!.id as string));
    await receive({ ...deleted, id: 'evt_late_copy' });
    const row = await subscriptionOf(first.userId);
    expect(row!.status).to.equal('active');
    expect(row!.stripe_subscription_id).not.to.equal(oldId);
  });

  it('records and ignores event types that say nothing about a subscription', async () => {
    const { userId, sessionId } = await checkedOut('kit@example.com');
    const [created] = standin.completeCheckout(sessionId);
    const other = { ...created!, id: 'evt_customer_updated', type: 'customer.updated' };
    expect(await receive(other)).to.deep.equal({ duplicate: false });
    expect(await storedEvents()).to.deep.equal(['evt_customer_updated']);
    expect(await subscriptionOf(userId)).to.equal(undefined);
  });

  it('records and ignores an event about a subscription Stripe does not know', async () => {
    const { sessionId } = await checkedOut('lu@example.com');
    const [created] = standin.completeCheckout(sessionId);
    const stranger = { ...created!, data: { object: { ...created!.data.object, id: 'sub_unknown' } } };
    expect(await receive(stranger)).to.deep.equal({ duplicate: false });
    expect(await db.query('SELECT 1 FROM subscriptions')).to.have.length(0);
  });

  it('rejects a bad signature with 400 BAD_SIGNATURE', async () => {
    const { sessionId } = await checkedOut('mo@example.com');
    const [created] = standin.completeCheckout(sessionId);
    const { payload, signature } = standin.signedWebhook(created!, { secret: 'whsec_someone_else' });
    let error: unknown;
    try {
      verifiedEvent(stripe, Buffer.from(payload), signature, SECRET);
    } catch (err) {
      error = err;
    }
    expect(asClientError(error)).to.include({ status: 400, type: 'BAD_SIGNATURE' });
  });

  it('rejects a correctly signed payload older than the tolerance with 400 BAD_SIGNATURE', async () => {
    const { sessionId } = await checkedOut('ned@example.com');
    const [created] = standin.completeCheckout(sessionId);
    const timestamp = Math.floor(Date.now() / 1000) - WEBHOOK_TOLERANCE_SECONDS - 10;
    let error: unknown;
    try {
      await receive(created!, timestamp);
    } catch (err) {
      error = err;
    }
    expect(asClientError(error)).to.include({ status: 400, type: 'BAD_SIGNATURE' });
    expect(await storedEvents()).to.deep.equal([]);
  });

  it('reads the period end from the subscription item, or from the subscription in older API versions', () => {
    const current = { items: { data: [{ current_period_end: 1_800_000_000 }] } };
    const legacy = { current_period_end: 1_700_000_000, items: { data: [{}] } };
    expect(currentPeriodEnd(current as unknown as Stripe.Subscription)).to.equal(1_800_000_000);
    expect(currentPeriodEnd(legacy as unknown as Stripe.Subscription)).to.equal(1_700_000_000);
  });
});
