import { expect } from 'chai';
import { startAccountStack, type AccountStack } from '../support/account-stack.js';
import { StripeStandin } from '../support/stripe-standin.js';
import { apiToken, postJson, signUp, type Browser } from '../support/subscriber.js';

const WEBHOOK_SECRET = 'whsec_energylive_test';

interface Me {
  plan: {
    status: string;
    entitled: boolean;
    daysLeft: number;
    paidUntil: string | null;
    cancelAtPeriodEnd: boolean;
  };
}

/**
 * A visitor becomes a subscriber through Stripe Checkout and loses access when the subscription ends,
 * with the real `stripe` library talking to a local stand-in of Stripe's API, and Stripe's signed
 * webhooks posted to the gateway.
 */
describe('subscribing through Stripe opens the data API, and cancelling closes it', function () {
  this.timeout(120_000);
  let stripe: StripeStandin;
  let stack: AccountStack;

  before(async () => {
    stripe = await StripeStandin.start();
    stack = await startAccountStack({
      STRIPE_API_URL: stripe.url,
      STRIPE_SECRET_KEY: stripe.secretKey,
      STRIPE_PRICE_ID: stripe.prices[0] ?? '',
      STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
      ENERGYLIVE_TRIAL_DAYS: '7',
    });
    stripe.webhook = { url: `${stack.base}/api/v1/billing/webhook`, secret: WEBHOOK_SECRET };
  });

  after(async () => {
    await stack.stop();
    await stripe.close();
  });

  const me = async (b: Browser) =>
    (await (await fetch(`${stack.base}/api/v1/me`, { headers: { cookie: b.cookie } })).json()) as Me;
  const loadStatus = async (b: Browser) => {
    const res = await fetch(`${stack.base}/api/v1/load?area=DE&from=2022-01-01&to=2022-01-02`, {
      headers: { cookie: b.cookie },
    });
    await res.body?.cancel();
    return res.status;
  };

  it('checkout, trial, payment, cancellation: each step changes what the subscriber may read', async () => {
    const browser = await signUp(
      stack.base,
      `payer-${Date.now()}@example.com`,
      'a paying passphrase',
      stack.emailText,
    );
    const status = (await (await fetch(`${stack.base}/api/v1/billing/status`)).json()) as {
      available: boolean;
    };
    expect(status.available).to.equal(true);
    expect(await loadStatus(browser)).to.equal(402);

    const checkout = await postJson(stack.base, '/api/v1/billing/checkout', {}, browser);
    expect(checkout.status).to.equal(200);
    const { url } = (await checkout.json()) as { url: string };
    expect(url.startsWith(stripe.url)).to.equal(true);
    const session = stripe.checkoutSessions.at(-1);
    expect(session).to.include({ mode: 'subscription' });

    const events = stripe.completeCheckout(String(session?.id));
    expect(await stripe.deliver(events)).to.deep.equal(events.map(() => 200));
    const trial = (await me(browser)).plan;
    expect(trial).to.include({ status: 'trialing', entitled: true, daysLeft: 7 });
    expect(await loadStatus(browser)).to.equal(200);

    // Stripe retries a webhook it thinks failed: the same events again change nothing.
    expect(await stripe.deliver(events)).to.deep.equal(events.map(() => 200));
    expect((await me(browser)).plan).to.deep.equal(trial);

    const [subscription] = [...stripe.subscriptions.keys()];
    await stripe.deliver([stripe.updateSubscription(subscription ?? '', { cancel_at_period_end: true })]);
    expect((await me(browser)).plan).to.include({ entitled: true, cancelAtPeriodEnd: true });

    const portal = await postJson(stack.base, '/api/v1/billing/portal', {}, browser);
    expect(portal.status).to.equal(200);

    await stripe.deliver([stripe.cancelSubscription(subscription ?? '')]);
    expect((await me(browser)).plan).to.include({ status: 'canceled', entitled: false });
    expect(await loadStatus(browser)).to.equal(402);
  });

  it('refuses a webhook with a bad signature at the gateway and stores nothing', async () => {
    const before = await stack.sql.query('SELECT count(*)::int AS n FROM stripe_events');
    const res = await fetch(`${stack.base}/api/v1/billing/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'stripe-signature': 't=1,v1=deadbeef' },
      body: JSON.stringify({ id: 'evt_forged', type: 'customer.subscription.updated' }),
    });
    expect(res.status).to.equal(400);
    const after = await stack.sql.query('SELECT count(*)::int AS n FROM stripe_events');
    expect(after.rows).to.deep.equal(before.rows);
  });

  it('does not take checkout or portal requests from a visitor who is not signed in', async () => {
    expect((await postJson(stack.base, '/api/v1/billing/checkout', {})).status).to.equal(401);
    expect((await postJson(stack.base, '/api/v1/billing/portal', {})).status).to.equal(401);
  });

  it('refuses checkout and portal to an API token: managing the subscription needs a browser session', async () => {
    const browser = await signUp(
      stack.base,
      `scripted-${Date.now()}@example.com`,
      'a scripted passphrase',
      stack.emailText,
    );
    const token = await apiToken(stack.base, browser);
    const sessions = stripe.checkoutSessions.length;
    for (const path of ['/api/v1/billing/checkout', '/api/v1/billing/portal']) {
      const res = await fetch(`${stack.base}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: '{}',
      });
      expect(res.status, path).to.equal(403);
      expect(res.headers.get('content-type'), path).to.match(/^application\/json/);
      expect(await res.json(), path).to.include({ code: 'SESSION_REQUIRED' });
    }
    expect(stripe.checkoutSessions).to.have.length(sessions);
  });
});
