import { expect } from 'chai';
import type Stripe from 'stripe';
import type { AccountsDb } from '../accounts/database.js';
import { asClientError } from '../../actors/runtime/client-error.js';
import { testAccountsDb } from '../../test/support/postgres.js';
import { StripeStandin } from '../../test/support/stripe-standin.js';
import { createCheckout, createPortal, type CheckoutSettings } from './checkout.js';
import { createStripeClient } from './stripe-client.js';

async function rejection(promise: Promise<unknown>): Promise<ReturnType<typeof asClientError>> {
  try {
    await promise;
  } catch (err) {
    return asClientError(err);
  }
  throw new Error('expected a rejection');
}

describe('Stripe checkout and portal', () => {
  let standin: StripeStandin;
  let db: AccountsDb;
  let dispose: () => Promise<void>;
  let stripe: Stripe;
  const settings: CheckoutSettings = {
    stripePriceId: 'price_standin_monthly',
    trialDays: 14,
    publicUrl: 'https://energylive.example',
  };

  const newUser = async (email: string) => {
    const [row] = await db.query<{ id: string }>('INSERT INTO users (email) VALUES ($1) RETURNING id', [
      email,
    ]);
    return { id: row!.id, email };
  };
  const sessionRequests = () => standin.requests.filter((r) => r.path === '/v1/checkout/sessions');

  beforeEach(async () => {
    standin = await StripeStandin.start();
    ({ db, dispose } = await testAccountsDb('postgres'));
    stripe = createStripeClient({
      stripeSecretKey: standin.secretKey,
      stripeWebhookSecret: 'whsec_test',
      stripePriceId: settings.stripePriceId,
      trialDays: settings.trialDays,
      stripeApiUrl: standin.url,
    });
  });

  afterEach(async () => {
    await dispose();
    await standin.close();
  });

  it('creates a customer for the account and a subscription-mode session with the price and trial', async () => {
    const user = await newUser('ada@example.com');
    const { url } = await createCheckout(db, stripe, settings, user);

    const [customer] = [...standin.customers.values()];
    expect(customer).to.include({ email: 'ada@example.com' });
    expect(customer!.metadata).to.deep.equal({ userId: user.id });
    const [stored] = await db.query<{ stripe_customer_id: string }>(
      'SELECT stripe_customer_id FROM users WHERE id = $1',
      [user.id],
    );
    expect(stored!.stripe_customer_id).to.equal(customer!.id);

    const [session] = standin.checkoutSessions;
    expect(url).to.equal(session!.url);
    expect(sessionRequests()[0]!.params).to.deep.equal({
      mode: 'subscription',
      customer: customer!.id,
      client_reference_id: user.id,
      line_items: { '0': { price: 'price_standin_monthly', quantity: '1' } },
      subscription_data: { metadata: { userId: user.id }, trial_period_days: '14' },
      success_url: 'https://energylive.example/account?checkout=success',
      cancel_url: 'https://energylive.example/account?checkout=cancel',
    });
  });

  it('asks for no trial when the trial length is 0', async () => {
    const user = await newUser('bo@example.com');
    await createCheckout(db, stripe, { ...settings, trialDays: 0 }, user);
    expect(sessionRequests()[0]!.params.subscription_data).to.deep.equal({ metadata: { userId: user.id } });
  });

  it('makes one Stripe customer for two checkouts started at once, and reuses it later', async () => {
    const user = await newUser('cy@example.com');
    await Promise.all([
      createCheckout(db, stripe, settings, user),
      createCheckout(db, stripe, settings, user),
    ]);
    await createCheckout(db, stripe, settings, user);
    expect(standin.customers.size).to.equal(1);
    const [stored] = await db.query<{ stripe_customer_id: string }>(
      'SELECT stripe_customer_id FROM users WHERE id = $1',
      [user.id],
    );
    expect(stored!.stripe_customer_id).to.equal([...standin.customers.keys()][0]);
    expect(sessionRequests()).to.have.length(3);
  });

  it('gets the same Stripe customer back when the first one was made but its id not stored', async () => {
    const user = await newUser('cyd@example.com');
    await createCheckout(db, stripe, settings, user);
    await db.query('UPDATE users SET stripe_customer_id = NULL WHERE id = $1', [user.id]);
    await createCheckout(db, stripe, settings, user);
    expect(standin.requests.filter((r) => r.path === '/v1/customers')).to.have.length(2);
    expect(standin.customers.size).to.equal(1);
  });

  it('refuses a second subscription with 409 while one is active, trialing or past due', async () => {
    for (const status of ['active', 'trialing', 'past_due']) {
      const user = await newUser(`${status}@example.com`);
      await db.query('INSERT INTO subscriptions (user_id, status, state_at) VALUES ($1, $2, 0)', [
        user.id,
        status,
      ]);
      const error = await rejection(createCheckout(db, stripe, settings, user));
      expect(error).to.include({ status: 409, type: 'ALREADY_SUBSCRIBED' });
    }
    expect(sessionRequests()).to.have.length(0);
  });

  it('lets an account whose subscription was canceled subscribe again', async () => {
    const user = await newUser('dee@example.com');
    await db.query("INSERT INTO subscriptions (user_id, status, state_at) VALUES ($1, 'canceled', 0)", [
      user.id,
    ]);
    const { url } = await createCheckout(db, stripe, settings, user);
    expect(url).to.match(/\/c\/pay\/cs_test_/);
  });

  it('opens the portal for the account’s customer, returning to /account', async () => {
    const user = await newUser('eve@example.com');
    await createCheckout(db, stripe, settings, user);
    const { url } = await createPortal(db, stripe, settings, user.id);
    expect(url).to.match(/\/p\/session\/bps_/);
    const portal = standin.requests.find((r) => r.path === '/v1/billing_portal/sessions');
    expect(portal!.params).to.deep.equal({
      customer: [...standin.customers.keys()][0],
      return_url: 'https://energylive.example/account',
    });
  });

  it('answers 409 for the portal when the account has no Stripe customer', async () => {
    const user = await newUser('fay@example.com');
    const error = await rejection(createPortal(db, stripe, settings, user.id));
    expect(error).to.include({ status: 409, type: 'NO_BILLING_ACCOUNT' });
  });
});
