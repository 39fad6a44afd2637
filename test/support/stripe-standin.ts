import crypto from 'node:crypto';
import http from 'node:http';
import Stripe from 'stripe';
import { listen } from '../../lib/net/listen.js';

export interface StripeStandinOptions {
  /** The only API key accepted; default `sk_test_standin`. */
  secretKey?: string;
  /** Prices a checkout may sell; default `price_standin_monthly`. */
  prices?: string[];
  port?: number;
  host?: string;
}

export interface StandinEvent {
  id: string;
  object: 'event';
  api_version: string;
  created: number;
  livemode: false;
  pending_webhooks: number;
  request: { id: null; idempotency_key: null };
  type: string;
  data: { object: Record<string, unknown>; previous_attributes?: Record<string, unknown> };
}

export interface SubscriptionChanges {
  status?: string;
  cancel_at_period_end?: boolean;
  /** Unix seconds. */
  current_period_end?: number;
}

interface StandinSubscription {
  id: string;
  object: 'subscription';
  customer: string;
  status: string;
  cancel_at_period_end: boolean;
  canceled_at: number | null;
  ended_at: number | null;
  created: number;
  start_date: number;
  trial_start: number | null;
  trial_end: number | null;
  latest_invoice: string | null;
  livemode: false;
  metadata: Record<string, string>;
  items: {
    object: 'list';
    has_more: false;
    url: string;
    data: {
      id: string;
      object: 'subscription_item';
      subscription: string;
      quantity: number;
      current_period_start: number;
      current_period_end: number;
      price: {
        id: string;
        object: 'price';
        type: 'recurring';
        recurring: { interval: 'month'; interval_count: 1 };
      };
    }[];
  };
}

interface StandinSession {
  object: Record<string, unknown> & {
    id: string;
    customer: string;
    status: string;
    success_url: string;
    cancel_url: string | null;
  };
  price: string;
  trialDays: number;
  subscriptionMetadata: Record<string, string>;
}

interface Reply {
  status: number;
  body: unknown;
}

type Form = Record<string, unknown>;

/** An error as Stripe answers it: `{ error: { type, code, message, param } }` with its HTTP status. */
class StripeProblem extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly code?: string,
    readonly param?: string,
  ) {
    super(message);
  }
}

const now = () => Math.floor(Date.now() / 1000);
const newId = (prefix: string) => `${prefix}_${crypto.randomBytes(12).toString('hex')}`;
const clone = <T>(value: T): T => structuredClone(value);
const missing = (kind: string, id: string, param?: string) =>
  new StripeProblem(404, 'invalid_request_error', `No such ${kind}: '${id}'`, 'resource_missing', param);
const html = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Stripe's form encoding (`a[b][0][c]=v`) back into nested objects; list indices stay object keys. */
function parseForm(body: string): Form {
  const root: Form = {};
  for (const [key, value] of new URLSearchParams(body)) {
    const path = key.split(/[[\]]+/).filter(Boolean);
    let node = root;
    path.forEach((part, i) => {
      if (i === path.length - 1) node[part] = value;
      else node = (node[part] ??= {}) as Form;
    });
  }
  return root;
}

const text = (form: Form, name: string): string | undefined =>
  typeof form[name] === 'string' ? form[name] : undefined;
const nested = (form: Form, name: string): Form =>
  typeof form[name] === 'object' && form[name] !== null ? (form[name] as Form) : {};
const metadata = (form: Form) =>
  Object.fromEntries(
    Object.entries(nested(form, 'metadata')).filter(([, v]) => typeof v === 'string'),
  ) as Record<string, string>;

function addMonth(seconds: number): number {
  const date = new Date(seconds * 1000);
  date.setUTCMonth(date.getUTCMonth() + 1);
  return Math.floor(date.getTime() / 1000);
}

async function readBody(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * A local stand-in for the Stripe API, for tests: the calls EnergyLive's billing makes through the real
 * `stripe` library (customers create/retrieve, checkout sessions, billing portal sessions, subscriptions
 * retrieve), with form-encoded bodies, Bearer key check, Idempotency-Key replay and Stripe's JSON errors.
 * Point the app at it with `STRIPE_API_URL=standin.url` and `STRIPE_SECRET_KEY=standin.secretKey`.
 *
 * Tests play Stripe's side with `completeCheckout`, `updateSubscription` and `cancelSubscription`, which
 * return the events Stripe would send; `signedWebhook` signs one, `deliver` posts them to `webhook.url`.
 * For browsers, a session's `url` is a small checkout page whose button completes the checkout, delivers
 * its events and redirects to `success_url`; a portal session's page cancels the subscription.
 */
export class StripeStandin {
  readonly secretKey: string;
  readonly prices: string[];
  /** Where `deliver` and the hosted pages post events; set once the app under test has its address. */
  webhook: { url: string; secret: string } | null = null;
  /** Every API request answered, oldest first, with its form parameters decoded (list indices as keys). */
  readonly requests: { method: string; path: string; status: number; params: Record<string, unknown> }[] = [];
  readonly customers = new Map<string, Record<string, unknown> & { id: string }>();
  readonly subscriptions = new Map<string, StandinSubscription>();
  private readonly sessions = new Map<string, StandinSession>();
  private readonly portalSessions = new Map<string, { customer: string; return_url: string }>();
  private readonly idempotent = new Map<string, { fingerprint: string; reply: Reply }>();
  private readonly server: http.Server;
  private baseUrl = '';

  private constructor(options: StripeStandinOptions) {
    this.secretKey = options.secretKey ?? 'sk_test_standin';
    this.prices = options.prices ?? ['price_standin_monthly'];
    this.server = http.createServer((req, res) => {
      void this.handle(req, res);
    });
  }

  static async start(options: StripeStandinOptions = {}): Promise<StripeStandin> {
    const standin = new StripeStandin(options);
    standin.baseUrl = (await listen(standin.server, options.port ?? 0, options.host ?? '127.0.0.1')).url;
    return standin;
  }

  get url(): string {
    return this.baseUrl;
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => {
        resolve();
      });
      this.server.closeAllConnections();
    });
  }

  /** Every checkout session created, oldest first, as the API returned them. */
  get checkoutSessions(): Record<string, unknown>[] {
    return [...this.sessions.values()].map((s) => clone(s.object));
  }

  /**
   * The customer pays (or starts the trial): the subscription starts, active or trialing, and the events
   * Stripe sends come back in Stripe's usual order. `trialDays` overrides the session's trial.
   */
  completeCheckout(sessionId: string, options: { trialDays?: number } = {}): StandinEvent[] {
    const session = this.sessions.get(sessionId);
    if (!session) throw new Error(`no checkout session ${sessionId}`);
    if (session.object.status !== 'open')
      throw new Error(`checkout session ${sessionId} is ${session.object.status}`);
    const start = now();
    const trialDays = options.trialDays ?? session.trialDays;
    const trialEnd = trialDays > 0 ? start + trialDays * 86400 : null;
    const id = newId('sub');
    const invoiceId = newId('in');
    const subscription: StandinSubscription = {
      id,
      object: 'subscription',
      customer: session.object.customer,
      status: trialEnd ? 'trialing' : 'active',
      cancel_at_period_end: false,
      canceled_at: null,
      ended_at: null,
      created: start,
      start_date: start,
      trial_start: trialEnd ? start : null,
      trial_end: trialEnd,
      latest_invoice: invoiceId,
      livemode: false,
      metadata: session.subscriptionMetadata,
      items: {
        object: 'list',
        has_more: false,
        url: `/v1/subscription_items?subscription=${id}`,
        data: [
          {
            id: newId('si'),
            object: 'subscription_item',
            subscription: id,
            quantity: 1,
            current_period_start: start,
            current_period_end: trialEnd ?? addMonth(start),
            price: {
              id: session.price,
              object: 'price',
              type: 'recurring',
              recurring: { interval: 'month', interval_count: 1 },
            },
          },
        ],
      },
    };
    this.subscriptions.set(id, subscription);
    Object.assign(session.object, {
      status: 'complete',
      payment_status: trialEnd ? 'no_payment_required' : 'paid',
      subscription: id,
      invoice: invoiceId,
    });
    const invoice = {
      id: invoiceId,
      object: 'invoice',
      customer: subscription.customer,
      status: 'paid',
      billing_reason: 'subscription_create',
      created: start,
      livemode: false,
      period_start: start,
      period_end: start,
      parent: {
        type: 'subscription_details',
        quote_details: null,
        subscription_details: { subscription: id, metadata: subscription.metadata },
      },
    };
    return [
      this.event('customer.subscription.created', subscription),
      this.event('invoice.paid', invoice),
      this.event('checkout.session.completed', session.object),
    ];
  }

  /** Changes a subscription as Stripe would on renewal, a failed payment or a portal change. */
  updateSubscription(id: string, changes: SubscriptionChanges): StandinEvent {
    const subscription = this.subscription(id);
    const item = subscription.items.data[0]!;
    const previous: Record<string, unknown> = {};
    if (changes.status !== undefined) {
      previous.status = subscription.status;
      subscription.status = changes.status;
    }
    if (changes.cancel_at_period_end !== undefined) {
      previous.cancel_at_period_end = subscription.cancel_at_period_end;
      subscription.cancel_at_period_end = changes.cancel_at_period_end;
    }
    if (changes.current_period_end !== undefined) {
      previous.items = clone(subscription.items);
      item.current_period_start = item.current_period_end;
      item.current_period_end = changes.current_period_end;
    }
    return this.event('customer.subscription.updated', subscription, previous);
  }

  /** Ends a subscription now, as cancelling in the dashboard or portal does. */
  cancelSubscription(id: string): StandinEvent {
    const subscription = this.subscription(id);
    const at = now();
    Object.assign(subscription, {
      status: 'canceled',
      canceled_at: at,
      ended_at: at,
      cancel_at_period_end: false,
    });
    return this.event('customer.subscription.deleted', subscription);
  }

  /** The body and `Stripe-Signature` header Stripe would send for `event`. */
  signedWebhook(
    event: StandinEvent,
    options: { secret: string; timestamp?: number },
  ): { payload: string; signature: string } {
    const payload = JSON.stringify(event, null, 2);
    const signature = Stripe.webhooks.generateTestHeaderString({
      payload,
      secret: options.secret,
      ...(options.timestamp !== undefined ? { timestamp: options.timestamp } : {}),
    });
    return { payload, signature };
  }

  /** Posts each event, signed, to `webhook.url` one after another; the HTTP statuses the app answered. */
  async deliver(events: StandinEvent[]): Promise<number[]> {
    const target = this.webhook;
    if (!target) throw new Error('set standin.webhook = { url, secret } before delivering events');
    const statuses: number[] = [];
    for (const event of events) {
      const { payload, signature } = this.signedWebhook(event, { secret: target.secret });
      const res = await fetch(target.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8', 'stripe-signature': signature },
        body: payload,
      });
      await res.arrayBuffer();
      statuses.push(res.status);
    }
    return statuses;
  }

  private subscription(id: string): StandinSubscription {
    const subscription = this.subscriptions.get(id);
    if (!subscription) throw new Error(`no subscription ${id}`);
    return subscription;
  }

  private event(type: string, object: object, previous?: Record<string, unknown>): StandinEvent {
    return {
      id: newId('evt'),
      object: 'event',
      api_version: Stripe.API_VERSION,
      created: now(),
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      type,
      data: {
        object: clone(object) as Record<string, unknown>,
        ...(previous ? { previous_attributes: previous } : {}),
      },
    };
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const path = new URL(req.url ?? '/', 'http://standin').pathname;
    try {
      const body = await readBody(req);
      if (!path.startsWith('/v1/')) {
        this.page(method, path, res);
        return;
      }
      const reply = this.api(method, path, body, req.headers);
      this.requests.push({ method, path, status: reply.status, params: parseForm(body) });
      res.writeHead(reply.status, {
        'content-type': 'application/json',
        'request-id': newId('req'),
        ...(reply.replayed ? { 'idempotent-replayed': 'true' } : {}),
      });
      res.end(JSON.stringify(reply.body, null, 2));
    } catch (err) {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { type: 'api_error', message: String(err) } }));
    }
  }

  private api(
    method: string,
    path: string,
    body: string,
    headers: http.IncomingHttpHeaders,
  ): Reply & { replayed?: boolean } {
    if (headers.authorization !== `Bearer ${this.secretKey}`) {
      const given = headers.authorization?.replace(/^Bearer /, '') ?? '';
      return this.problem(
        new StripeProblem(401, 'invalid_request_error', `Invalid API Key provided: ${given.slice(0, 8)}***`),
      );
    }
    const key = method === 'POST' ? headers['idempotency-key'] : undefined;
    const fingerprint = `${method} ${path} ${body}`;
    if (typeof key === 'string') {
      const earlier = this.idempotent.get(key);
      if (earlier && earlier.fingerprint !== fingerprint)
        return this.problem(
          new StripeProblem(
            400,
            'idempotency_error',
            `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
          ),
        );
      if (earlier) return { ...earlier.reply, replayed: true };
    }
    let reply: Reply;
    try {
      reply = { status: 200, body: this.route(method, path, parseForm(body)) };
    } catch (err) {
      if (!(err instanceof StripeProblem)) throw err;
      reply = this.problem(err);
    }
    if (typeof key === 'string') this.idempotent.set(key, { fingerprint, reply });
    return reply;
  }

  private problem(err: StripeProblem): Reply {
    return {
      status: err.status,
      body: {
        error: {
          type: err.type,
          message: err.message,
          ...(err.code ? { code: err.code } : {}),
          ...(err.param ? { param: err.param } : {}),
        },
      },
    };
  }

  private route(method: string, path: string, form: Form): unknown {
    const [, , resource, id, ...rest] = path.split('/');
    if (method === 'POST' && path === '/v1/customers') return this.createCustomer(form);
    if (method === 'GET' && resource === 'customers' && id && rest.length === 0) {
      const customer = this.customers.get(id);
      if (!customer) throw missing('customer', id, 'id');
      return customer;
    }
    if (method === 'POST' && path === '/v1/checkout/sessions') return this.createSession(form);
    if (method === 'POST' && path === '/v1/billing_portal/sessions') return this.createPortalSession(form);
    if (method === 'GET' && resource === 'subscriptions' && id && rest.length === 0) {
      const subscription = this.subscriptions.get(id);
      if (!subscription) throw missing('subscription', id, 'id');
      return subscription;
    }
    throw new StripeProblem(404, 'invalid_request_error', `Unrecognized request URL (${method}: ${path}).`);
  }

  private createCustomer(form: Form): unknown {
    const customer = {
      id: newId('cus'),
      object: 'customer',
      created: now(),
      email: text(form, 'email') ?? null,
      livemode: false,
      metadata: metadata(form),
    };
    this.customers.set(customer.id, customer);
    return customer;
  }

  private createSession(form: Form): unknown {
    if (text(form, 'mode') !== 'subscription')
      throw new StripeProblem(
        400,
        'invalid_request_error',
        'This stand-in sells subscriptions only.',
        'parameter_invalid',
        'mode',
      );
    const successUrl = text(form, 'success_url');
    if (!successUrl)
      throw new StripeProblem(
        400,
        'invalid_request_error',
        'Missing required param: success_url.',
        'parameter_missing',
        'success_url',
      );
    const price = text(nested(nested(form, 'line_items'), '0'), 'price') ?? '';
    if (!this.prices.includes(price)) throw missing('price', price, 'line_items[0][price]');
    const customer = text(form, 'customer');
    if (!customer || !this.customers.has(customer)) throw missing('customer', customer ?? '', 'customer');
    const subscriptionData = nested(form, 'subscription_data');
    const trial = text(subscriptionData, 'trial_period_days');
    const trialDays = trial === undefined ? 0 : Number(trial);
    if (!Number.isInteger(trialDays) || trialDays < 0)
      throw new StripeProblem(
        400,
        'invalid_request_error',
        'Invalid integer: trial_period_days',
        'parameter_invalid_integer',
        'subscription_data[trial_period_days]',
      );
    const id = newId('cs_test');
    const created = now();
    const object = {
      id,
      object: 'checkout.session',
      mode: 'subscription',
      status: 'open',
      payment_status: 'unpaid',
      customer,
      client_reference_id: text(form, 'client_reference_id') ?? null,
      success_url: successUrl,
      cancel_url: text(form, 'cancel_url') ?? null,
      subscription: null,
      invoice: null,
      metadata: metadata(form),
      created,
      expires_at: created + 86400,
      livemode: false,
      url: `${this.baseUrl}/c/pay/${id}`,
    };
    this.sessions.set(id, {
      object,
      price,
      trialDays,
      subscriptionMetadata: metadata(subscriptionData),
    });
    return object;
  }

  private createPortalSession(form: Form): unknown {
    const customer = text(form, 'customer');
    if (!customer || !this.customers.has(customer)) throw missing('customer', customer ?? '', 'customer');
    const id = newId('bps');
    const returnUrl = text(form, 'return_url') ?? '';
    this.portalSessions.set(id, { customer, return_url: returnUrl });
    return {
      id,
      object: 'billing_portal.session',
      customer,
      return_url: returnUrl || null,
      created: now(),
      livemode: false,
      url: `${this.baseUrl}/p/session/${id}`,
    };
  }

  /** The hosted checkout and portal pages a browser is sent to. */
  private page(method: string, path: string, res: http.ServerResponse): void {
    const send = (status: number, body: string) => {
      res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
      res.end(
        `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>Stripe stand-in</title>${body}`,
      );
    };
    const redirect = (location: string) => {
      res.writeHead(303, { location });
      res.end();
    };
    const checkout = /^\/c\/pay\/([\w]+)(\/confirm)?$/.exec(path);
    const portal = /^\/p\/session\/([\w]+)(\/cancel)?$/.exec(path);
    const session = checkout ? this.sessions.get(checkout[1]!) : undefined;
    const portalSession = portal ? this.portalSessions.get(portal[1]!) : undefined;
    const live = portalSession
      ? [...this.subscriptions.values()].find(
          (s) => s.customer === portalSession.customer && s.status !== 'canceled',
        )
      : undefined;
    const fail = (err: unknown) => {
      send(500, `<p>${html(String(err))}</p>`);
    };
    if (session && method === 'GET' && !checkout?.[2]) {
      const trial = session.trialDays > 0 ? `, ${session.trialDays} days free` : '';
      send(
        200,
        `<h1>Subscribe</h1><p>${html(session.price)}, monthly${trial}</p>` +
          `<form method="post" action="/c/pay/${session.object.id}/confirm"><button type="submit">Subscribe</button></form>` +
          (session.object.cancel_url ? `<a href="${html(session.object.cancel_url)}">Back</a>` : ''),
      );
    } else if (session && method === 'POST' && checkout?.[2] && session.object.status === 'open') {
      const events = this.completeCheckout(session.object.id);
      (this.webhook ? this.deliver(events) : Promise.resolve([])).then(() => {
        redirect(session.object.success_url);
      }, fail);
    } else if (portalSession && method === 'GET' && !portal?.[2]) {
      send(
        200,
        `<h1>Billing</h1><p>${live ? `Subscription ${html(live.status)}` : 'No subscription'}</p>` +
          (live
            ? `<form method="post" action="/p/session/${portal![1]!}/cancel"><button type="submit">Cancel plan</button></form>`
            : '') +
          `<a href="${html(portalSession.return_url)}">Return</a>`,
      );
    } else if (portalSession && method === 'POST' && portal?.[2] && live) {
      const event = this.cancelSubscription(live.id);
      (this.webhook ? this.deliver([event]) : Promise.resolve([])).then(() => {
        redirect(portalSession.return_url);
      }, fail);
    } else {
      send(404, '<p>Not found</p>');
    }
  }
}
