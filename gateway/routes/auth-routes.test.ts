import crypto from 'node:crypto';
import http from 'node:http';
import { expect } from 'chai';
import { startAccountStack, type AccountStack } from '../../test/support/account-stack.js';
import {
  apiToken,
  cookieOf,
  linkToken,
  postJson,
  signUp,
  type Browser,
} from '../../test/support/subscriber.js';
import { SseClient } from '../live/testing/sse-client.js';
import { endlessBody } from './testing/endless-body.js';

const PASSWORD = 'correct horse battery staple';

const DATA_ROUTES = [
  '/api/v1/areas?dataset=load',
  '/api/v1/freshness?dataset=load',
  '/api/v1/types?area=DE',
  '/api/v1/borders',
  '/api/v1/snapshot',
  '/api/v1/load?area=DE&from=2022-01-01&to=2022-01-02',
  '/api/v1/generation?area=DE&from=2022-01-01&to=2022-01-02',
  '/api/v1/flows?out=DE&in=FR&from=2022-01-01&to=2022-01-02',
  '/api/v1/stats?dataset=load&area=DE&from=2022-01-01&to=2022-01-02',
  '/api/v1/stream?dataset=load&area=DE&from=2022-01-01&to=2022-01-02',
];

describe('accounts through the gateway: sign-up, sessions, CSRF, rate limits, tokens and the plan check', function () {
  this.timeout(120_000);
  let stack: AccountStack;
  let base: string;
  let sql: AccountStack['sql'];
  let broker: AccountStack['broker'];
  let mailer: AccountStack['mailer'];
  let emailText: AccountStack['emailText'];
  let n = 0;
  const newEmail = () => `user${++n}-${Date.now()}@example.com`;

  before(async () => {
    stack = await startAccountStack({ ENERGYLIVE_ACCESS_RECHECK_SECONDS: '0.5' });
    ({ base, sql, broker, mailer, emailText } = stack);
  });

  beforeEach(async () => {
    await sql.query('DELETE FROM rate_limits');
  });

  after(async () => {
    await stack.stop();
  });

  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${base}${path}`, { headers });
  const asBrowser = (b: Browser) => ({ cookie: b.cookie });
  const login = (email: string, password: string, headers: Record<string, string> = {}) =>
    fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ email, password }),
    });

  it('signs up only after the emailed link is followed, once, with an HttpOnly SameSite=Lax Secure cookie', async () => {
    const email = newEmail();
    const signup = await postJson(base, '/api/v1/auth/signup', { email, password: PASSWORD });
    expect(signup.status).to.equal(202);
    expect(signup.headers.getSetCookie()).to.deep.equal([]);
    const token = linkToken(await emailText(email));
    const confirm = await postJson(base, '/api/v1/auth/signup/confirm', { token });
    expect(confirm.status).to.equal(200);
    const setCookie = confirm.headers.getSetCookie()[0] ?? '';
    expect(setCookie)
      .to.match(/HttpOnly/i)
      .and.match(/SameSite=Lax/i)
      .and.match(/Secure/i)
      .and.match(/Path=\//);
    const browser = {
      cookie: cookieOf(confirm),
      csrfToken: ((await confirm.json()) as { csrfToken: string }).csrfToken,
    };
    const me = (await (await get('/api/v1/me', asBrowser(browser))).json()) as {
      email: string;
      plan: { status: string };
    };
    expect(me.email).to.equal(email);
    expect(me.plan.status).to.equal('none');
    const again = await postJson(base, '/api/v1/auth/signup/confirm', { token });
    expect(again.status).to.equal(400);
    expect(((await again.json()) as { code: string }).code).to.equal('INVALID_LINK');
  });

  it('answers a sign-up for a taken email exactly like a new one, and emails the owner instead', async () => {
    const email = newEmail();
    await signUp(base, email, PASSWORD, emailText);
    const before = mailer.sent.length;
    const fresh = await postJson(base, '/api/v1/auth/signup', { email: newEmail(), password: PASSWORD });
    const taken = await postJson(base, '/api/v1/auth/signup', {
      email: email.toUpperCase(),
      password: 'another fine password',
    });
    expect(taken.status).to.equal(fresh.status);
    expect(await taken.json()).to.deep.equal(await fresh.json());
    const note = await mailer.next(email, before);
    expect(note.text).to.match(/already has an account/);
    expect(note.text).not.to.match(/token=/);
    const { rows } = await sql.query('SELECT 1 FROM users WHERE lower(email) = lower($1)', [email]);
    expect(rows).to.have.length(1);
  });

  it('refuses short, over-long and common passwords, naming the parameter', async () => {
    for (const password of ['short', 'x'.repeat(129), 'password123', 'qwertyuiop']) {
      const res = await postJson(base, '/api/v1/auth/signup', { email: newEmail(), password });
      expect(res.status, password).to.equal(400);
      expect(((await res.json()) as { parameter: string }).parameter).to.equal('password');
    }
  });

  it('refuses blank, repeated, email-based and product-named passwords at sign-up, reset and change', async () => {
    const email = `ada.lovelace.${Date.now()}@example.com`;
    const local = email.split('@')[0] ?? '';
    const weak = [
      ['        ', 'Use letters, digits or symbols, not only spaces or invisible characters.'],
      [
        '\u200b\u200b\u200b\u200b\u200b\u200b\u200b\u200b',
        'Use letters, digits or symbols, not only spaces or invisible characters.',
      ],
      ['zzzzzzzzzzzz', 'Use more than one character repeated.'],
      [`${local.toUpperCase()}!`, 'Do not use your email address in your password.'],
      ['My EnergyLive key', 'Do not use “EnergyLive” in your password.'],
    ] as const;
    const refused = async (res: Response, what: string, message: string) => {
      expect(res.status, what).to.equal(400);
      expect(await res.json(), what).to.include({
        code: 'WEAK_PASSWORD',
        parameter: 'password',
        error: message,
      });
    };
    for (const [password, message] of weak)
      await refused(
        await postJson(base, '/api/v1/auth/signup', { email, password }),
        `signup ${password}`,
        message,
      );
    const browser = await signUp(base, email, PASSWORD, emailText);
    for (const [password, message] of weak)
      await refused(
        await postJson(base, '/api/v1/auth/password', { current: PASSWORD, password }, browser),
        `change ${password}`,
        message,
      );
    const before = mailer.sent.length;
    await postJson(base, '/api/v1/auth/reset', { email });
    const token = linkToken((await mailer.next(email, before)).text);
    for (const [password, message] of weak)
      await refused(
        await postJson(base, '/api/v1/auth/reset/confirm', { token, password }),
        `reset ${password}`,
        message,
      );
    expect(
      (await postJson(base, '/api/v1/auth/reset/confirm', { token, password: PASSWORD })).status,
    ).to.equal(200);
  });

  it('gives the same answer for a wrong password and for an email with no account', async () => {
    const email = newEmail();
    await signUp(base, email, PASSWORD, emailText);
    const wrong = await login(email, 'not the password at all');
    const unknown = await login(newEmail(), 'not the password at all');
    expect(wrong.status).to.equal(401);
    expect(unknown.status).to.equal(401);
    expect(await wrong.json()).to.deep.equal(await unknown.json());
  });

  it('gives a new session id at every sign-in and ends the one the browser had (no fixation)', async () => {
    const email = newEmail();
    const first = await signUp(base, email, PASSWORD, emailText);
    const res = await login(email, PASSWORD, { cookie: first.cookie, origin: base });
    expect(res.status).to.equal(200);
    const second = cookieOf(res);
    expect(second).not.to.equal(first.cookie);
    expect((await get('/api/v1/me', { cookie: first.cookie })).status).to.equal(401);
    expect((await get('/api/v1/me', { cookie: second })).status).to.equal(200);
    const planted = await login(email, PASSWORD, {
      cookie: 'energylive_session=attacker-chosen-session-id-123456',
    });
    expect(cookieOf(planted)).not.to.contain('attacker-chosen');
  });

  it('ends the session at sign-out, after the idle timeout and after the absolute timeout', async () => {
    const browsers = await Promise.all([0, 1, 2].map(() => signUp(base, newEmail(), PASSWORD, emailText)));
    const [out, idle, old] = browsers as [Browser, Browser, Browser];
    const logout = await postJson(base, '/api/v1/auth/logout', {}, out);
    expect(logout.status).to.equal(200);
    expect(logout.headers.getSetCookie()[0]).to.match(/Max-Age=0/);
    expect((await get('/api/v1/me', asBrowser(out))).status).to.equal(401);
    await sql.query(
      "UPDATE sessions SET last_seen_at = now() - interval '25 hours' WHERE user_id = (SELECT user_id FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.csrf_token = $1)",
      [idle.csrfToken],
    );
    expect((await get('/api/v1/me', asBrowser(idle))).status).to.equal(401);
    await sql.query("UPDATE sessions SET created_at = now() - interval '31 days' WHERE csrf_token = $1", [
      old.csrfToken,
    ]);
    expect((await get('/api/v1/me', asBrowser(old))).status).to.equal(401);
  });

  it('refuses state changes without the session CSRF token, from another origin, or cross-site', async () => {
    const browser = await signUp(base, newEmail(), PASSWORD, emailText);
    const post = (headers: Record<string, string>) =>
      fetch(`${base}/api/v1/tokens`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: browser.cookie, ...headers },
        body: JSON.stringify({ name: 'x' }),
      });
    for (const headers of <Record<string, string>[]>[
      {},
      { 'x-csrf-token': 'wrong' },
      { 'x-csrf-token': browser.csrfToken, origin: 'https://evil.example' },
      { 'x-csrf-token': browser.csrfToken, 'sec-fetch-site': 'cross-site' },
    ]) {
      const res = await post(headers);
      expect(res.status, JSON.stringify(headers)).to.equal(403);
      expect(((await res.json()) as { code: string }).code).to.equal('CSRF');
    }
    expect((await post({ 'x-csrf-token': browser.csrfToken, origin: base })).status).to.equal(201);
    const crossSiteLogin = await login(newEmail(), PASSWORD, { origin: 'https://evil.example' });
    expect(crossSiteLogin.status).to.equal(403);
  });

  it('refuses a foreign Origin even when the request names that origin as its Host', async () => {
    const browser = await signUp(base, newEmail(), PASSWORD, emailText);
    /** fetch sends its own Host header whatever it is given; a hostile client sends any it likes. */
    const post = (path: string, headers: Record<string, string>, body: object) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = http.request(`${base}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
        });
        req.on('response', (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() });
          });
        });
        req.on('error', reject);
        req.end(JSON.stringify(body));
      });
    for (const [origin, host] of [
      ['http://evil.example', 'evil.example'],
      ['https://evil.example', 'evil.example'],
      [`http://evil.example:${new URL(base).port}`, `evil.example:${new URL(base).port}`],
    ] as const) {
      const session = await post(
        '/api/v1/tokens',
        { cookie: browser.cookie, 'x-csrf-token': browser.csrfToken, origin, host },
        { name: 'x' },
      );
      expect(session.status, origin).to.equal(403);
      expect(JSON.parse(session.body), origin).to.include({ code: 'CSRF' });
      const signIn = await post(
        '/api/v1/auth/login',
        { origin, host },
        { email: newEmail(), password: PASSWORD },
      );
      expect(signIn.status, origin).to.equal(403);
    }
    const own = await post(
      '/api/v1/tokens',
      { cookie: browser.cookie, 'x-csrf-token': browser.csrfToken, origin: base, host: 'evil.example' },
      { name: 'x' },
    );
    expect(own.status).to.equal(201);
  });

  it('locks an account after 10 failed sign-ins, the same way whether or not it exists, and an address after 50', async () => {
    const email = newEmail();
    await signUp(base, email, PASSWORD, emailText);
    const ghost = newEmail();
    for (let i = 0; i < 10; i++) {
      expect((await login(email, `wrong guess ${i}`)).status).to.equal(401);
      expect((await login(ghost, `wrong guess ${i}`)).status).to.equal(401);
    }
    const locked = await login(email, PASSWORD);
    expect(locked.status).to.equal(429);
    expect(Number(locked.headers.get('retry-after'))).to.be.greaterThan(0);
    const ghostLocked = await login(ghost, PASSWORD);
    expect(ghostLocked.status).to.equal(429);
    // Each lock counts from its own first failure, so only the seconds left may differ.
    const withoutWait = async (res: Response) => {
      const body = (await res.json()) as Record<string, unknown>;
      delete body.retryAfter;
      return body;
    };
    expect(await withoutWait(ghostLocked)).to.deep.equal(await withoutWait(locked));
    await sql.query('DELETE FROM rate_limits');
    const statuses: number[] = [];
    for (let i = 0; i < 51; i++) statuses.push((await login(newEmail(), 'some wrong password')).status);
    expect(statuses.slice(0, 50).every((s) => s === 401)).to.equal(true);
    expect(statuses[50]).to.equal(429);
  });

  it('resets a password by emailed link: same answer for unknown emails, other sessions end, the link works once', async () => {
    const email = newEmail();
    const browser = await signUp(base, email, PASSWORD, emailText);
    const before = mailer.sent.length;
    const known = await postJson(base, '/api/v1/auth/reset', { email });
    const unknown = await postJson(base, '/api/v1/auth/reset', { email: newEmail() });
    expect(known.status).to.equal(202);
    expect(await known.json()).to.deep.equal(await unknown.json());
    const token = linkToken((await mailer.next(email, before)).text);
    const weak = await postJson(base, '/api/v1/auth/reset/confirm', { token, password: 'password' });
    expect(weak.status).to.equal(400);
    const done = await postJson(base, '/api/v1/auth/reset/confirm', {
      token,
      password: 'a brand new passphrase',
    });
    expect(done.status).to.equal(200);
    expect((await get('/api/v1/me', { cookie: cookieOf(done) })).status).to.equal(200);
    expect((await get('/api/v1/me', asBrowser(browser))).status).to.equal(401);
    expect((await login(email, PASSWORD)).status).to.equal(401);
    expect((await login(email, 'a brand new passphrase')).status).to.equal(200);
    const reused = await postJson(base, '/api/v1/auth/reset/confirm', {
      token,
      password: 'yet another passphrase',
    });
    expect(reused.status).to.equal(400);
  });

  it('limits reset confirmations from one address to 20 an hour, then answers 429 with Retry-After', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) {
      const res = await postJson(base, '/api/v1/auth/reset/confirm', {
        token: `unknown-link-token-${i}-0123456789`,
        password: 'a brand new passphrase',
      });
      statuses.push(res.status);
      if (res.status === 429) expect(Number(res.headers.get('retry-after'))).to.be.greaterThan(0);
    }
    expect(statuses.slice(0, 20).every((s) => s === 400)).to.equal(true);
    expect(statuses[20]).to.equal(429);
  });

  it('answers a reset request before reading anything about the address, known or not', async () => {
    const email = newEmail();
    await signUp(base, email, PASSWORD, emailText);
    const before = mailer.sent.length;
    // While the users table is locked, any lookup of the address waits: an answer proves none came first.
    const lock = await sql.connect();
    try {
      await lock.query('BEGIN');
      await lock.query('LOCK TABLE users IN ACCESS EXCLUSIVE MODE');
      for (const address of [email, newEmail()]) {
        const answer = postJson(base, '/api/v1/auth/reset', { email: address }).then((res) => res.status);
        const waited = new Promise((resolve) => setTimeout(resolve, 5_000, 'no answer'));
        expect(await Promise.race([answer, waited]), address).to.equal(202);
      }
      expect(mailer.sent.length).to.equal(before);
    } finally {
      await lock.query('ROLLBACK');
      lock.release();
    }
    // The link still goes out once the lookup can run.
    expect(linkToken((await mailer.next(email, before)).text)).to.be.a('string');
  });

  it('changes a password only with the current one, and ends the other sessions', async () => {
    const email = newEmail();
    const here = await signUp(base, email, PASSWORD, emailText);
    const elsewhere = await login(email, PASSWORD);
    const wrong = await postJson(
      base,
      '/api/v1/auth/password',
      { current: 'nope nope nope', password: 'the next passphrase' },
      here,
    );
    expect(wrong.status).to.equal(403);
    const changed = await postJson(
      base,
      '/api/v1/auth/password',
      { current: PASSWORD, password: 'the next passphrase' },
      here,
    );
    expect(changed.status).to.equal(200);
    expect((await get('/api/v1/me', { cookie: cookieOf(elsewhere) })).status).to.equal(401);
    expect((await get('/api/v1/me', { cookie: cookieOf(changed) })).status).to.equal(200);
    expect((await login(email, 'the next passphrase')).status).to.equal(200);
  });

  it('refuses a password change after 10 wrong current passwords of the account in 15 minutes, and leaves sign-in alone', async () => {
    const email = newEmail();
    const here = await signUp(base, email, PASSWORD, emailText);
    const other = await signUp(base, newEmail(), PASSWORD, emailText);
    const change = (browser: Browser, current: string) =>
      postJson(base, '/api/v1/auth/password', { current, password: 'the next passphrase' }, browser);
    for (let i = 0; i < 10; i++) expect((await change(here, `wrong guess ${i}`)).status).to.equal(403);
    const locked = await change(here, PASSWORD);
    expect(locked.status).to.equal(429);
    expect(Number(locked.headers.get('retry-after'))).to.be.greaterThan(0);
    expect(await locked.json()).to.include({ code: 'RATE_LIMITED' });
    // The session that guessed may not lock its owner out of signing in, nor anyone else out of changing.
    expect((await login(email, PASSWORD)).status).to.equal(200);
    expect((await change(other, PASSWORD)).status).to.equal(200);
  });

  it('ends every API token of the account at a password reset, at once', async () => {
    const email = newEmail();
    const browser = await signUp(base, email, PASSWORD, emailText);
    await broker.call('accounts.grant', { email, days: 30, reason: 'test' });
    const bearers = await Promise.all(
      ['one', 'two'].map(async (name) => ({
        authorization: `Bearer ${await apiToken(base, browser, name)}`,
      })),
    );
    // Read once so the gateway's identity cache holds the tokens.
    for (const bearer of bearers) expect((await get(DATA_ROUTES[0] ?? '', bearer)).status).to.equal(200);
    const before = mailer.sent.length;
    await postJson(base, '/api/v1/auth/reset', { email });
    const done = await postJson(base, '/api/v1/auth/reset/confirm', {
      token: linkToken((await mailer.next(email, before)).text),
      password: 'a reset passphrase here',
    });
    expect(done.status).to.equal(200);
    for (const bearer of bearers) {
      const res = await get(DATA_ROUTES[0] ?? '', bearer);
      expect(res.status).to.equal(401);
      expect(await res.json()).to.include({ code: 'INVALID_TOKEN' });
    }
    const list = (await (await get('/api/v1/tokens', { cookie: cookieOf(done) })).json()) as {
      tokens: unknown[];
    };
    expect(list.tokens).to.deep.equal([]);
  });

  it('says after a password change how many API tokens still work, and revokes them all on request', async () => {
    const email = newEmail();
    const here = await signUp(base, email, PASSWORD, emailText);
    await broker.call('accounts.grant', { email, days: 30, reason: 'test' });
    const bearers = await Promise.all(
      ['one', 'two'].map(async (name) => ({ authorization: `Bearer ${await apiToken(base, here, name)}` })),
    );
    const changed = await postJson(
      base,
      '/api/v1/auth/password',
      { current: PASSWORD, password: 'the changed passphrase' },
      here,
    );
    expect(changed.status).to.equal(200);
    const answer = (await changed.json()) as { tokensKept: number; csrfToken: string };
    expect(answer.tokensKept).to.equal(2);
    for (const bearer of bearers) expect((await get(DATA_ROUTES[0] ?? '', bearer)).status).to.equal(200);
    const browser = { cookie: cookieOf(changed), csrfToken: answer.csrfToken };
    const revokeAll = await fetch(`${base}/api/v1/tokens`, {
      method: 'DELETE',
      headers: { cookie: browser.cookie, 'x-csrf-token': browser.csrfToken },
    });
    expect(revokeAll.status).to.equal(200);
    expect(await revokeAll.json()).to.deep.equal({ status: 'revoked', revoked: 2 });
    for (const bearer of bearers) expect((await get(DATA_ROUTES[0] ?? '', bearer)).status).to.equal(401);
    const again = await postJson(
      base,
      '/api/v1/auth/password',
      { current: 'the changed passphrase', password: 'the third passphrase' },
      browser,
    );
    expect(((await again.json()) as { tokensKept: number }).tokensKept).to.equal(0);
  });

  it('answers every data route 401 anonymous, 402 without a plan, 200 with one; the same for API tokens', async () => {
    const email = newEmail();
    const browser = await signUp(base, email, PASSWORD, emailText);
    const token = await apiToken(base, browser);
    const status = async (path: string, headers: Record<string, string>) => {
      const res = await get(path, headers);
      await res.body?.cancel();
      return res.status;
    };
    for (const path of DATA_ROUTES) {
      expect(await status(path, {}), path).to.equal(401);
      expect(await status(path, asBrowser(browser)), path).to.equal(402);
      expect(await status(path, { authorization: `Bearer ${token}` }), path).to.equal(402);
    }
    await broker.call('accounts.grant', { email, days: 30, reason: 'test' });
    for (const path of DATA_ROUTES) {
      expect(await status(path, asBrowser(browser)), path).to.equal(200);
      expect(await status(path, { authorization: `Bearer ${token}` }), path).to.equal(200);
    }
    const me = (await (await get('/api/v1/me', asBrowser(browser))).json()) as {
      plan: { status: string; daysLeft: number; entitled: boolean };
    };
    expect(me.plan).to.include({ status: 'complimentary', daysLeft: 30, entitled: true });
  });

  it('ends an open stream when the plan is revoked', async () => {
    const email = newEmail();
    const browser = await signUp(base, email, PASSWORD, emailText);
    await broker.call('accounts.grant', { email, days: 1, reason: 'test' });
    const client = await SseClient.connect(
      `${base}${DATA_ROUTES.find((p) => p.startsWith('/api/v1/stream')) ?? ''}`,
      asBrowser(browser),
    );
    await client.ready();
    await broker.call('accounts.revoke', { email });
    await client.waitFor((c) => c.events.some((e) => e.event === 'end'), 10_000);
    expect(client.events.find((e) => e.event === 'end')?.data).to.equal(
      JSON.stringify({ reason: 'plan_expired' }),
    );
    await client.ended;
  });

  it('shows a token once, lists it without the secret, and refuses it once revoked', async () => {
    const email = newEmail();
    const browser = await signUp(base, email, PASSWORD, emailText);
    await broker.call('accounts.grant', { email, days: 30, reason: 'test' });
    const token = await apiToken(base, browser, 'my script');
    expect(token).to.match(/^elk_/);
    const list = (await (await get('/api/v1/tokens', asBrowser(browser))).json()) as {
      tokens: { id: string; name: string; prefix: string }[];
    };
    expect(list.tokens).to.have.length(1);
    expect(JSON.stringify(list)).not.to.contain(token);
    expect(token.startsWith(list.tokens[0]?.prefix ?? '-')).to.equal(true);
    const bearer = { authorization: `Bearer ${token}` };
    expect((await get(DATA_ROUTES[0] ?? '', bearer)).status).to.equal(200);
    const byToken = await fetch(`${base}/api/v1/tokens`, {
      method: 'POST',
      headers: { ...bearer, 'content-type': 'application/json' },
      body: '{"name":"more"}',
    });
    expect(byToken.status).to.equal(403);
    const revoke = await fetch(`${base}/api/v1/tokens/${list.tokens[0]?.id ?? ''}`, {
      method: 'DELETE',
      headers: { cookie: browser.cookie, 'x-csrf-token': browser.csrfToken },
    });
    expect(revoke.status).to.equal(200);
    const refused = await get(DATA_ROUTES[0] ?? '', bearer);
    expect(refused.status).to.equal(401);
    expect(((await refused.json()) as { code: string }).code).to.equal('INVALID_TOKEN');
  });

  it('lets an API token read data and the profile, and refuses it every account-management route with 403 SESSION_REQUIRED', async () => {
    const email = newEmail();
    const browser = await signUp(base, email, PASSWORD, emailText);
    await broker.call('accounts.grant', { email, days: 30, reason: 'test' });
    const token = await apiToken(base, browser);
    const [tokenId] = (await sql.query<{ id: string }>('SELECT id FROM api_tokens')).rows
      .map((r) => r.id)
      .slice(-1);
    const bearer = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    expect((await get('/api/v1/me', bearer)).status).to.equal(200);
    expect((await get(DATA_ROUTES[0] ?? '', bearer)).status).to.equal(200);
    for (const [method, path, body] of [
      ['POST', '/api/v1/auth/password', { current: PASSWORD, password: 'a token-chosen passphrase' }],
      ['POST', '/api/v1/auth/logout', {}],
      ['GET', '/api/v1/tokens', undefined],
      ['POST', '/api/v1/tokens', { name: 'another' }],
      ['DELETE', `/api/v1/tokens/${tokenId ?? ''}`, undefined],
      ['DELETE', '/api/v1/tokens', undefined],
      ['POST', '/api/v1/billing/checkout', {}],
      ['POST', '/api/v1/billing/portal', {}],
    ] as const) {
      const res = await fetch(`${base}${path}`, {
        method,
        headers: bearer,
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      expect(res.status, `${method} ${path}`).to.equal(403);
      expect(await res.json(), `${method} ${path}`).to.include({ code: 'SESSION_REQUIRED' });
    }
    expect((await login(email, PASSWORD)).status).to.equal(200);
    expect((await get(DATA_ROUTES[0] ?? '', bearer)).status).to.equal(200);
  });

  it('answers a body that is not JSON with 400, not a 500', async () => {
    const res = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"email": ',
    });
    expect(res.status).to.equal(400);
  });

  it('answers NUL and control characters, over-long values, wrong JSON types and unknown fields in every account field with 400 naming it', async () => {
    const email = newEmail();
    const browser = await signUp(base, email, PASSWORD, emailText);
    const before = mailer.sent.length;
    await postJson(base, '/api/v1/auth/reset', { email });
    const resetToken = linkToken((await mailer.next(email, before)).text);
    const wrongTypes = [42, true, null, ['x'], { x: 'y' }];
    const badEmails = [
      'a\u0000@example.com',
      'a@exam\u0000ple.com',
      'a\u0001b@example.com',
      'a\nb@example.com',
      'a b@example.com',
      'a\u202e@example.com',
      `${'x'.repeat(10_000)}@example.com`,
      `${'x'.repeat(65)}@example.com`,
      `a@${'x'.repeat(64)}.com`,
      `a@${'abcdefgh.'.repeat(30)}com`,
      'no-at-sign',
      'a@localhost',
      'a@@example.com',
      'a@example..com',
      '.a@example.com',
      'a..b@example.com',
      'a@-example.com',
      'a@example.c0m1',
      ...wrongTypes,
    ];
    const badNewPasswords = ['correct horse\u0000battery', 'correct\u0007horse battery', ...wrongTypes];
    const badTokens = [`${'x'.repeat(20)}\u0000${'x'.repeat(22)}`, 'x'.repeat(10_000), ...wrongTypes];
    const badNames = [
      'a\u0000b',
      'a\nb',
      'a\u202eb',
      'x'.repeat(101),
      'x'.repeat(10_000),
      '   ',
      ...wrongTypes,
    ];
    const routes: {
      path: string;
      body: Record<string, unknown>;
      fields: Record<string, unknown[]>;
      as?: Browser;
    }[] = [
      { path: '/api/v1/tokens', body: { name: 'script' }, fields: { name: badNames }, as: browser },
      {
        path: '/api/v1/auth/password',
        body: { current: PASSWORD, password: 'another fine passphrase' },
        fields: { current: [...wrongTypes, 'x'.repeat(10_000)], password: badNewPasswords },
        as: browser,
      },
      {
        path: '/api/v1/auth/signup',
        body: { email: newEmail(), password: PASSWORD },
        fields: { email: badEmails, password: badNewPasswords },
      },
      {
        path: '/api/v1/auth/login',
        body: { email, password: PASSWORD },
        fields: { email: badEmails, password: [...wrongTypes, 'x'.repeat(10_000)] },
      },
      { path: '/api/v1/auth/reset', body: { email }, fields: { email: badEmails } },
      { path: '/api/v1/auth/signup/confirm', body: { token: 'x'.repeat(43) }, fields: { token: badTokens } },
      {
        path: '/api/v1/auth/reset/confirm',
        body: { token: resetToken, password: 'a reset passphrase' },
        fields: { token: badTokens, password: badNewPasswords },
      },
    ];
    const failures: string[] = [];
    const expectRefused = async (
      path: string,
      body: unknown,
      parameter: string | undefined,
      as?: Browser,
    ) => {
      await sql.query('DELETE FROM rate_limits');
      const res = await postJson(base, path, body, as);
      const answer = (await res.json()) as { error?: unknown; parameter?: unknown };
      const what = `${path} ${JSON.stringify(body).slice(0, 80)}`;
      if (res.status !== 400 || typeof answer.error !== 'string' || answer.parameter !== parameter)
        failures.push(`${what}: ${res.status} ${JSON.stringify(answer)}`);
    };
    for (const { path, body, fields, as } of routes) {
      for (const [field, values] of Object.entries(fields))
        for (const value of values) await expectRefused(path, { ...body, [field]: value }, field, as);
      await expectRefused(path, { ...body, role: 'admin' }, 'role', as);
      for (const notAnObject of [[], [body], 'text', 42, null])
        await expectRefused(path, notAnObject, undefined, as);
    }
    expect(failures, failures.join('\n')).to.deep.equal([]);
    // A password as typed at sign-in is only ever hashed: a NUL in it is a wrong password, not an error.
    expect((await login(email, 'correct horse\u0000battery staple')).status).to.equal(401);
    // Nothing was changed: the password, the reset link and the tokens are as they were.
    expect((await login(email, PASSWORD)).status).to.equal(200);
    expect(
      (
        await postJson(base, '/api/v1/auth/reset/confirm', {
          token: resetToken,
          password: 'a reset passphrase',
        })
      ).status,
    ).to.equal(200);
    const tokens = await sql.query(
      'SELECT t.name FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE u.email = $1',
      [email],
    );
    expect(tokens.rows).to.deep.equal([]);
  });

  it('refuses the same values when the accounts actor is called directly, where no body limit applies', async () => {
    const email = newEmail();
    await signUp(base, email, PASSWORD, emailText);
    const [user] = (await sql.query<{ id: string }>('SELECT id FROM users WHERE email = $1', [email])).rows;
    const hugeEmail = `${'x'.repeat(100_000)}@example.com`;
    const refusals: [string, Record<string, unknown>, string][] = [
      ['accounts.login', { email: hugeEmail, password: PASSWORD, ip: '192.0.2.1' }, 'email'],
      ['accounts.login', { email: 'a\u0000@example.com', password: PASSWORD, ip: '192.0.2.1' }, 'email'],
      ['accounts.signup', { email: hugeEmail, password: PASSWORD, ip: '192.0.2.1' }, 'email'],
      ['accounts.requestReset', { email: 'a\u0000@example.com', ip: '192.0.2.1' }, 'email'],
      ['accounts.createToken', { userId: user?.id, name: 'x'.repeat(100_000) }, 'name'],
      ['accounts.createToken', { userId: user?.id, name: 'a\u0000b' }, 'name'],
      ['accounts.grant', { email: 'a\u0000@example.com', days: 1, reason: 'test' }, 'email'],
      ['accounts.grant', { email, days: 1, reason: 'a\u0000b' }, 'reason'],
      ['accounts.revoke', { email: hugeEmail }, 'email'],
      ['accounts.googleSignIn', { sub: '1234', email: 'a\u0000@example.com', emailVerified: true }, 'email'],
      ['accounts.googleSignIn', { sub: 'a\u0000b', email: newEmail(), emailVerified: true }, 'sub'],
      ['accounts.googleSignIn', { sub: 'x'.repeat(100_000), email: newEmail(), emailVerified: true }, 'sub'],
    ];
    for (const [action, params, parameter] of refusals) {
      const error = await broker.call(action, params).then(
        () => null,
        (err: unknown) => err,
      );
      expect(error, `${action} ${parameter}`).to.include({ code: 400 });
      expect((error as { data?: unknown }).data, `${action} ${parameter}`).to.include({ parameter });
    }
    // A client address that is not one (a forged X-Forwarded-For behind a proxy) still counts, in one bucket.
    const forged = crypto.randomBytes(8_000).toString('hex');
    expect(await broker.call('accounts.requestReset', { email, ip: forged })).to.deep.equal({
      status: 'reset_sent',
    });
  });

  it('answers a body over 16 kB with 413, a body that is not JSON with 415, and invalid JSON with 400, on every account route', async () => {
    const browser = await signUp(base, newEmail(), PASSWORD, emailText);
    const huge = JSON.stringify({ email: `${'x'.repeat(17_000)}@example.com`, password: PASSWORD });
    const send = (path: string, contentType: string, body: string) =>
      fetch(`${base}${path}`, {
        method: 'POST',
        headers: { 'content-type': contentType, cookie: browser.cookie, 'x-csrf-token': browser.csrfToken },
        body,
      });
    for (const path of [
      '/api/v1/auth/signup',
      '/api/v1/auth/signup/confirm',
      '/api/v1/auth/login',
      '/api/v1/auth/logout',
      '/api/v1/auth/password',
      '/api/v1/auth/reset',
      '/api/v1/auth/reset/confirm',
      '/api/v1/tokens',
    ]) {
      const tooLarge = await send(path, 'application/json', huge);
      expect(tooLarge.status, path).to.equal(413);
      expect(await tooLarge.json(), path)
        .to.include({ code: 'PAYLOAD_TOO_LARGE' })
        .and.have.property('error');
      for (const type of [
        'text/plain',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
      ]) {
        const unsupported = await send(path, type, 'email=a%40example.com');
        expect(unsupported.status, `${path} ${type}`).to.equal(415);
        expect(await unsupported.json(), path)
          .to.include({ code: 'UNSUPPORTED_MEDIA_TYPE' })
          .and.have.property('error');
      }
      const invalid = await send(path, 'application/json', '{"email": ');
      expect(invalid.status, path).to.equal(400);
      expect(await invalid.json(), path).to.include({ code: 'BAD_REQUEST' });
    }
    // No body at all is no wrong type: a sign-out without one still works.
    const logout = await fetch(`${base}/api/v1/auth/logout`, {
      method: 'POST',
      headers: { cookie: browser.cookie, 'x-csrf-token': browser.csrfToken },
    });
    expect(logout.status).to.equal(200);
  });

  it('answers an endless body with 413 and closes the connection instead of reading on', async () => {
    const answer = await endlessBody(
      `${base}/api/v1/auth/login`,
      {
        'content-type': 'application/json',
      },
      '{"email":"',
    );
    expect(answer.status).to.equal(413);
    expect(JSON.parse(answer.body)).to.include({ code: 'PAYLOAD_TOO_LARGE' });
    expect(answer.closed, 'the server closed the connection').to.equal(true);
  });

  it('says subscriptions are unavailable when no Stripe keys are set, and runs everything else', async () => {
    const status = (await (await fetch(`${base}/api/v1/billing/status`)).json()) as { available: boolean };
    expect(status.available).to.equal(false);
    const browser = await signUp(base, newEmail(), PASSWORD, emailText);
    const checkout = await postJson(base, '/api/v1/billing/checkout', {}, browser);
    expect(checkout.status).to.equal(503);
    expect(((await checkout.json()) as { code: string }).code).to.equal('BILLING_UNAVAILABLE');
  });
});
