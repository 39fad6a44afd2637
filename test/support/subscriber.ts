import { createBroker } from '../../actors/runtime/broker.js';
import { loadConfig } from '../../lib/config/env.js';

/** A signed-in browser as a test sees it: the cookie to send back and the CSRF token of its session. */
export interface Browser {
  cookie: string;
  csrfToken: string;
}

/** The `name=value` of a response's Set-Cookie, as a browser would send it back. */
export function cookieOf(res: Response): string {
  const header = res.headers.getSetCookie().find((c) => c.includes('energylive_session='));
  if (!header) throw new Error(`no session cookie in the answer (status ${res.status})`);
  return header.split(';')[0] ?? '';
}

/** The confirmation or reset token in an email's text. */
export function linkToken(text: string): string {
  const token = /token=([A-Za-z0-9_-]+)/.exec(text)?.[1];
  if (!token) throw new Error(`no link in the email: ${text}`);
  return token;
}

export async function postJson(
  base: string,
  path: string,
  body: unknown,
  browser?: Browser,
): Promise<Response> {
  return fetch(`${base}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(browser ? { cookie: browser.cookie, 'x-csrf-token': browser.csrfToken } : {}),
    },
    body: JSON.stringify(body),
  });
}

/**
 * Signs up through the gateway, confirms with the emailed link (the caller finds the email: in the
 * log of the process that runs the accounts actor, or a capturing mailer) and returns the browser.
 */
export async function signUp(
  base: string,
  email: string,
  password: string,
  emailText: (to: string) => Promise<string>,
): Promise<Browser> {
  const signup = await postJson(base, '/api/v1/auth/signup', { email, password });
  if (signup.status !== 202) throw new Error(`sign-up answered ${signup.status}: ${await signup.text()}`);
  const confirm = await postJson(base, '/api/v1/auth/signup/confirm', {
    token: linkToken(await emailText(email)),
  });
  if (confirm.status !== 200)
    throw new Error(`confirmation answered ${confirm.status}: ${await confirm.text()}`);
  return {
    cookie: cookieOf(confirm),
    csrfToken: ((await confirm.json()) as { csrfToken: string }).csrfToken,
  };
}

/** Complimentary access through the accounts actor, as the operator's CLI grants it. */
export async function grantAccess(
  natsUrl: string,
  namespace: string,
  email: string,
  days = 30,
): Promise<void> {
  const broker = createBroker(
    loadConfig({ NATS_URL: natsUrl, ENERGYLIVE_NAMESPACE: namespace, LOG_LEVEL: 'warn' }),
    {
      channels: false,
    },
  );
  await broker.start();
  try {
    await broker.waitForServices(['accounts'], 30_000);
    await broker.call('accounts.grant', { email, days, reason: 'test' });
  } finally {
    await broker.stop();
  }
}

/** A personal API token for scripts, made by the signed-in browser. */
export async function apiToken(base: string, browser: Browser, name = 'test'): Promise<string> {
  const res = await postJson(base, '/api/v1/tokens', { name }, browser);
  if (res.status !== 201) throw new Error(`token creation answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}

/**
 * A subscriber with access, ready for data requests: signed up, granted 30 days, and holding an API
 * token (`Authorization: Bearer …`). For tests and benchmarks of the data routes.
 */
export async function subscriberToken(options: {
  base: string;
  natsUrl: string;
  namespace: string;
  emailText: (to: string) => Promise<string>;
  email?: string;
}): Promise<string> {
  const email =
    options.email ?? `subscriber-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.com`;
  const browser = await signUp(options.base, email, 'correct horse battery staple', options.emailText);
  await grantAccess(options.natsUrl, options.namespace, email);
  return apiToken(options.base, browser);
}
