import fs from 'node:fs';
import http from 'node:http';
import { expect } from 'chai';
import Koa from 'koa';
import type { ServiceBroker } from 'moleculer';
import Stripe from 'stripe';
import { billingService } from '../../actors/billing/billing.service.js';
import { createBroker } from '../../actors/runtime/broker.js';
import { ProcessContext } from '../../actors/runtime/process-context.js';
import type { AccountsDb } from '../../lib/accounts/database.js';
import { listen } from '../../lib/net/listen.js';
import { testConfig } from '../../test/support/config.js';
import { startNatsServer, type TestNatsServer } from '../../test/support/nats-server.js';
import { createTestDatabase } from '../../test/support/postgres.js';
import { StripeStandin } from '../../test/support/stripe-standin.js';
import { tempDir } from '../../test/support/temp-dir.js';
import { brokerBillingClient } from '../billing-client.js';
import { jsonErrors } from '../http-errors.js';
import { billingRoutes } from './billing-routes.js';
import { endlessBody } from './testing/endless-body.js';

const SECRET = 'whsec_routes';

/** The lead's auth middleware in miniature: the test names the signed-in user in a header. */
const requireSession: Koa.Middleware = async (ctx, next) => {
  const header = ctx.get('x-test-user');
  if (!header) {
    ctx.status = 401;
    ctx.body = { error: 'sign in first' };
    return;
  }
  const [id, email] = header.split(' ');
  ctx.state.auth = { user: { id, email }, via: 'session' };
  await next();
};

describe('billing routes with the billing actor and a Stripe stand-in', function () {
  this.timeout(60_000);
  let nats: TestNatsServer;
  let standin: StripeStandin;
  let database: { url: string; drop(): Promise<void> };
  const dirs: string[] = [];
  const contexts: ProcessContext[] = [];
  const brokers: ServiceBroker[] = [];
  const servers: http.Server[] = [];
  let base: string;
  let bareBase: string;
  let bareBroker: ServiceBroker;
  let db: AccountsDb;

  async function serve(env: Record<string, string>): Promise<{ url: string; broker: ServiceBroker }> {
    const dir = tempDir();
    dirs.push(dir);
    const config = testConfig(nats.url, dir, {
      ENERGYLIVE_NAMESPACE: `billing-${dirs.length}-${Date.now()}`,
      ...env,
    });
    const ctx = new ProcessContext(config);
    const broker = createBroker(config, { channels: false });
    broker.createService(billingService(ctx));
    await broker.start();
    contexts.push(ctx);
    brokers.push(broker);
    const app = new Koa();
    app.use(jsonErrors({ error: () => undefined }));
    const router = billingRoutes({ billing: brokerBillingClient(broker), requireSession });
    app.use(router.routes()).use(router.allowedMethods());
    const handle = app.callback();
    const server = http.createServer((req, res) => {
      void handle(req, res);
    });
    servers.push(server);
    return { url: (await listen(server, 0, '127.0.0.1')).url, broker };
  }

  const newUser = async (email: string) => {
    const [row] = await db.query<{ id: string }>('INSERT INTO users (email) VALUES ($1) RETURNING id', [
      email,
    ]);
    return { 'x-test-user': `${row!.id} ${email}`, id: row!.id };
  };
  const post = (url: string, headers: Record<string, string> = {}, body?: string) =>
    fetch(url, { method: 'POST', headers, redirect: 'manual', ...(body !== undefined ? { body } : {}) });
  const statusOf = async (userId: string) =>
    (await db.query<{ status: string }>('SELECT status FROM subscriptions WHERE user_id = $1', [userId]))[0]
      ?.status;
  const eventCount = async () => (await db.query('SELECT 1 FROM stripe_events')).length;
  const webhook = (payload: string, signature: string) =>
    post(
      `${base}/api/v1/billing/webhook`,
      { 'content-type': 'application/json', 'stripe-signature': signature },
      payload,
    );

  /** A checkout completed at the stand-in, its events not yet delivered. */
  async function completedCheckout(email: string) {
    const user = await newUser(email);
    const res = await post(`${base}/api/v1/billing/checkout`, { 'x-test-user': user['x-test-user'] });
    const { url } = (await res.json()) as { url: string };
    return { user, events: standin.completeCheckout(url.split('/').at(-1)!) };
  }

  before(async () => {
    nats = await startNatsServer();
    standin = await StripeStandin.start();
    database = await createTestDatabase();
    ({ url: base } = await serve({
      DATABASE_URL: database.url,
      STRIPE_SECRET_KEY: standin.secretKey,
      STRIPE_WEBHOOK_SECRET: SECRET,
      STRIPE_PRICE_ID: 'price_standin_monthly',
      STRIPE_API_URL: standin.url,
      ENERGYLIVE_TRIAL_DAYS: '14',
      ENERGYLIVE_PUBLIC_URL: 'http://energylive.test',
    }));
    ({ url: bareBase, broker: bareBroker } = await serve({}));
    db = await contexts[0]!.accountsDb();
    standin.webhook = { url: `${base}/api/v1/billing/webhook`, secret: SECRET };
  });

  after(async () => {
    for (const server of servers) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
    for (const broker of brokers) await broker.stop();
    for (const ctx of contexts) await ctx.close();
    await database.drop();
    await standin.close();
    await nats.stop();
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('tells that subscriptions are available, with the trial length and price', async () => {
    const res = await fetch(`${base}/api/v1/billing/status`);
    expect(await res.json()).to.deep.equal({
      available: true,
      trialDays: 14,
      priceId: 'price_standin_monthly',
    });
  });

  it('answers 401 to checkout and portal without a signed-in user', async () => {
    expect((await post(`${base}/api/v1/billing/checkout`)).status).to.equal(401);
    expect((await post(`${base}/api/v1/billing/portal`)).status).to.equal(401);
  });

  it('subscribes through the hosted checkout, refuses a second checkout, and cancels in the portal', async () => {
    const user = await newUser('ada@example.com');
    const checkout = await post(`${base}/api/v1/billing/checkout`, user);
    expect(checkout.status).to.equal(200);
    const { url } = (await checkout.json()) as { url: string };
    expect(url.startsWith(`${standin.url}/c/pay/cs_test_`)).to.equal(true);
    expect(await (await fetch(url)).text()).to.contain('14 days free');

    const paid = await post(`${url}/confirm`);
    expect(paid.status).to.equal(303);
    expect(paid.headers.get('location')).to.equal('http://energylive.test/account?checkout=success');
    expect(await statusOf(user.id)).to.equal('trialing');

    const again = await post(`${base}/api/v1/billing/checkout`, user);
    expect(again.status).to.equal(409);
    expect(await again.json()).to.include({ code: 'ALREADY_SUBSCRIBED' });

    const portal = await post(`${base}/api/v1/billing/portal`, user);
    const { url: portalUrl } = (await portal.json()) as { url: string };
    const canceled = await post(`${portalUrl}/cancel`);
    expect(canceled.headers.get('location')).to.equal('http://energylive.test/account');
    expect(await statusOf(user.id)).to.equal('canceled');
  });

  it('answers 409 NO_BILLING_ACCOUNT for the portal of an account that never subscribed', async () => {
    const res = await post(`${base}/api/v1/billing/portal`, await newUser('bo@example.com'));
    expect(res.status).to.equal(409);
    expect(await res.json()).to.include({ code: 'NO_BILLING_ACCOUNT' });
  });

  it('acknowledges a redelivered event with 200 and applies it once', async () => {
    const { events } = await completedCheckout('cy@example.com');
    const before = await eventCount();
    const { payload, signature } = standin.signedWebhook(events[0]!, { secret: SECRET });
    expect((await webhook(payload, signature)).status).to.equal(200);
    const again = await webhook(payload, signature);
    expect(again.status).to.equal(200);
    expect(await again.json()).to.deep.equal({ received: true });
    expect(await eventCount()).to.equal(before + 1);
  });

  it('rejects a payload signed with another secret with 400 and stores nothing', async () => {
    const { user, events } = await completedCheckout('dee@example.com');
    const before = await eventCount();
    const { payload, signature } = standin.signedWebhook(events[0]!, { secret: 'whsec_forged' });
    const res = await webhook(payload, signature);
    expect(res.status).to.equal(400);
    expect(await res.json()).to.include({ code: 'BAD_SIGNATURE' });
    expect(await eventCount()).to.equal(before);
    expect(await statusOf(user.id)).to.equal(undefined);
  });

  it('rejects a changed body under a valid signature with 400', async () => {
    const { events } = await completedCheckout('eli@example.com');
    const { payload, signature } = standin.signedWebhook(events[0]!, { secret: SECRET });
    const res = await webhook(payload.replace('"livemode": false', '"livemode": true'), signature);
    expect(res.status).to.equal(400);
  });

  it('rejects a signature older than five minutes with 400', async () => {
    const { events } = await completedCheckout('fay@example.com');
    const timestamp = Math.floor(Date.now() / 1000) - 301;
    const { payload, signature } = standin.signedWebhook(events[0]!, { secret: SECRET, timestamp });
    const res = await webhook(payload, signature);
    expect(res.status).to.equal(400);
    expect(await res.json()).to.include({ code: 'BAD_SIGNATURE' });
  });

  it('rejects a signature dated more than five minutes ahead with 400, and takes a small clock skew', async () => {
    const { events } = await completedCheckout('gus@example.com');
    const before = await eventCount();
    for (const ahead of [301, 24 * 3600]) {
      const timestamp = Math.floor(Date.now() / 1000) + ahead;
      const { payload, signature } = standin.signedWebhook(events[0]!, { secret: SECRET, timestamp });
      const res = await webhook(payload, signature);
      expect(res.status, `${ahead} s ahead`).to.equal(400);
      expect(await res.json()).to.include({ code: 'BAD_SIGNATURE' });
    }
    expect(await eventCount()).to.equal(before);
    const timestamp = Math.floor(Date.now() / 1000) + 30;
    const { payload, signature } = standin.signedWebhook(events[0]!, { secret: SECRET, timestamp });
    expect((await webhook(payload, signature)).status).to.equal(200);
  });

  it('rejects a correctly signed body that is not a well-formed Stripe event with 400 and stores nothing', async () => {
    const before = await eventCount();
    const event = (type: string, object: unknown) =>
      JSON.stringify({ id: 'evt_malformed', object: 'event', type, data: { object } });
    for (const payload of [
      '',
      'not json',
      '{"id": ',
      '[]',
      '{}',
      'null',
      '42',
      '"evt_1"',
      '{"id":"evt_1"}',
      '{"id":"evt_1","object":"v2.core.event","type":"v1.billing.meter.no_meter_found"}',
      '{"id":42,"type":"customer.subscription.updated","data":{"object":{}}}',
      '{"id":"evt_1","type":["invoice.paid"],"data":{"object":{}}}',
      '{"id":"evt_1","type":"customer.subscription.updated"}',
      '{"id":"evt_1","type":"customer.subscription.updated","data":[]}',
      '{"id":"evt_1","type":"customer.subscription.updated","data":{"object":"sub_1"}}',
      event('customer.subscription.updated', {}),
      event('customer.subscription.updated', { id: 7 }),
      event('customer.subscription.deleted', { id: 'sub_1', metadata: 'x' }),
      event('customer.subscription.created', { id: 'sub_1', metadata: { userId: 5 } }),
      event('checkout.session.completed', { mode: 'subscription', subscription: 5 }),
      event('checkout.session.completed', { mode: 'subscription', subscription: { id: null } }),
      event('checkout.session.completed', {
        mode: 'subscription',
        subscription: 'sub_1',
        client_reference_id: {},
      }),
      event('invoice.paid', { parent: 'x' }),
      event('invoice.paid', { parent: { subscription_details: { subscription: 5 } } }),
      event('invoice.payment_failed', { subscription: [] }),
    ]) {
      const signature = Stripe.webhooks.generateTestHeaderString({ payload, secret: SECRET });
      const res = await webhook(payload, signature);
      expect(res.status, payload).to.equal(400);
      expect(await res.json(), payload).to.include({ code: 'MALFORMED_EVENT' });
    }
    expect(await eventCount()).to.equal(before);
  });

  it('rejects a signed event whose id or type holds control characters, spaces or too many characters with 400, storing nothing', async () => {
    const before = await eventCount();
    const event = (id: string, type: string) =>
      JSON.stringify({ id, object: 'event', type, data: { object: { id: 'sub_1' } } });
    for (const payload of [
      event('evt_\u0000', 'customer.subscription.updated'),
      event('evt_1', 'customer.subscription.updated\u0000'),
      event('evt_\u0001', 'invoice.paid'),
      event('evt 1', 'invoice.paid'),
      event('evt_\u202e1', 'invoice.paid'),
      event(`evt_${'x'.repeat(252)}`, 'invoice.paid'),
      event('evt_1', `invoice.${'x'.repeat(248)}`),
    ]) {
      const signature = Stripe.webhooks.generateTestHeaderString({ payload, secret: SECRET });
      const res = await webhook(payload, signature);
      expect(res.status, payload).to.equal(400);
      expect(await res.json(), payload).to.include({ code: 'MALFORMED_EVENT' });
    }
    expect(await eventCount()).to.equal(before);
  });

  it('answers checkout and portal 400 for any body field or a body that is no object, 415 for one that is not JSON, 413 past 16 kB', async () => {
    const user = await newUser(`bodies-${Date.now()}@example.com`);
    const as = { 'x-test-user': user['x-test-user'] };
    const json = { ...as, 'content-type': 'application/json' };
    for (const path of ['/api/v1/billing/checkout', '/api/v1/billing/portal']) {
      const field = await post(`${base}${path}`, json, '{"price":"price_free"}');
      expect(field.status, path).to.equal(400);
      expect(await field.json(), path).to.include({ parameter: 'price' });
      for (const body of ['[]', '"x"', '{"a": '])
        expect((await post(`${base}${path}`, json, body)).status, `${path} ${body}`).to.equal(400);
      const form = await post(
        `${base}${path}`,
        { ...as, 'content-type': 'application/x-www-form-urlencoded' },
        'price=x',
      );
      expect(form.status, path).to.equal(415);
      expect(await form.json(), path).to.include({ code: 'UNSUPPORTED_MEDIA_TYPE' });
      const huge = await post(`${base}${path}`, json, JSON.stringify({ pad: 'x'.repeat(17_000) }));
      expect(huge.status, path).to.equal(413);
      expect(await huge.json(), path).to.include({ code: 'PAYLOAD_TOO_LARGE' });
    }
    // An empty object or no body at all is what the web app sends.
    expect((await post(`${base}/api/v1/billing/checkout`, json, '{}')).status).to.equal(200);
    expect((await post(`${base}/api/v1/billing/portal`, as)).status).to.equal(200);
  });

  it('rejects a webhook without a Stripe-Signature header with 400', async () => {
    const res = await post(`${base}/api/v1/billing/webhook`, { 'content-type': 'application/json' }, '{}');
    expect(res.status).to.equal(400);
  });

  it('rejects a webhook body over 1 MB with 413', async () => {
    const res = await webhook(`{"pad":"${'x'.repeat(1024 * 1024)}"}`, 't=1,v1=00');
    expect(res.status).to.equal(413);
  });

  it('stops reading a streamed webhook body past 1 MB and answers 413', async () => {
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const req = http.request(`${base}/api/v1/billing/webhook`, {
        method: 'POST',
        headers: { 'stripe-signature': 't=1,v1=00', 'transfer-encoding': 'chunked' },
      });
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode);
      });
      req.on('error', reject);
      const chunk = Buffer.alloc(64 * 1024, 'x');
      for (let i = 0; i < 20; i++) req.write(chunk);
      req.end();
    });
    expect(status).to.equal(413);
  });

  it('answers an endless webhook body with 413 and closes the connection instead of reading on', async () => {
    const answer = await endlessBody(`${base}/api/v1/billing/webhook`, { 'stripe-signature': 't=1,v1=00' });
    expect(answer.status).to.equal(413);
    expect(JSON.parse(answer.body)).to.include({ code: 'PAYLOAD_TOO_LARGE' });
    expect(answer.closed, 'the server closed the connection').to.equal(true);
  });

  it('runs without Stripe keys: status says unavailable and the actions answer 503 BILLING_UNAVAILABLE', async () => {
    expect(await (await fetch(`${bareBase}/api/v1/billing/status`)).json()).to.deep.equal({
      available: false,
      trialDays: 0,
    });
    const user = { 'x-test-user': '00000000-0000-4000-8000-000000000000 x@example.com' };
    expect((await post(`${bareBase}/api/v1/billing/checkout`, user)).status).to.equal(503);
    expect((await post(`${bareBase}/api/v1/billing/portal`, user)).status).to.equal(503);
    expect(
      (await post(`${bareBase}/api/v1/billing/webhook`, { 'stripe-signature': 't=1,v1=00' }, '{}')).status,
    ).to.equal(503);
    let error: unknown;
    try {
      await bareBroker.call('billing.checkout', { userId: 'u', email: 'x@example.com' });
    } catch (err) {
      error = err;
    }
    expect(error).to.include({ code: 503, type: 'BILLING_UNAVAILABLE' });
  });
});
