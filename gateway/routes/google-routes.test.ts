import http from 'node:http';
import { expect } from 'chai';
import Koa from 'koa';
import type { AccountsDb } from '../../lib/accounts/database.js';
import type { GoogleIdentity } from '../../lib/accounts/google-identity.js';
import { userForGoogle } from '../../lib/accounts/google-link.js';
import { listen } from '../../lib/net/listen.js';
import { startGoogleStandin, type GoogleStandin } from '../../test/support/google-standin.js';
import { testAccountsDb } from '../../test/support/postgres.js';
import { RedirectBrowser as Browser } from '../../test/support/redirect-browser.js';
import {
  GOOGLE_CONNECT_PATH,
  GOOGLE_REDIRECT_PATH,
  mountGoogleSignIn,
  type GoogleSignInOptions,
} from './google-routes.js';

async function serve(build: (app: Koa, publicUrl: string) => Promise<void>) {
  const server = http.createServer();
  const { url } = await listen(server, 0, '127.0.0.1');
  const app = new Koa();
  app.silent = true;
  await build(app, url);
  const handle = app.callback();
  server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    void handle(req, res);
  });
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}

describe('Continue with Google (grant, stand-in provider, postgres)', () => {
  let standin: GoogleStandin;
  let db: AccountsDb;
  let disposeDb: () => Promise<void>;
  let site: { url: string; close(): Promise<void> };
  let signIns: { identity: GoogleIdentity; user: { id: string; email: string } }[];
  let warnings: { reason?: string }[];
  let browser: Browser;

  const ada = { sub: '100000000000000000001', email: 'ada@example.com', email_verified: true };
  const connect = () => new URL(GOOGLE_CONNECT_PATH, site.url);

  before(async () => {
    ({ db, dispose: disposeDb } = await testAccountsDb('postgres'));
    site = await serve(async (app, publicUrl) => {
      standin = await startGoogleStandin({ redirectUris: [`${publicUrl}${GOOGLE_REDIRECT_PATH}`] });
      const options: GoogleSignInOptions = {
        google: { clientId: standin.clientId, clientSecret: standin.clientSecret, issuer: standin.issuer },
        publicUrl,
        secret: 'test-secret-for-the-oauth-cookie',
        signIn: async (_ctx, identity) => {
          signIns.push({ identity, user: await userForGoogle(db, identity) });
        },
        logger: {
          warn: (o) => {
            warnings.push(o);
          },
        },
      };
      mountGoogleSignIn(app, options);
    });
  });
  after(async () => {
    await site.close();
    await standin.close();
    await disposeDb();
  });
  beforeEach(async () => {
    await db.query('DELETE FROM users');
    standin.identity = { ...ada };
    standin.tweaks = {};
    standin.refuseConsent = false;
    standin.authorizeRequests = [];
    signIns = [];
    warnings = [];
    browser = new Browser();
  });

  function expectRefused(end: URL, reason?: string): void {
    expect(end.pathname + end.search).to.equal('/signin?error=google');
    expect(signIns).to.deep.equal([]);
    expect(warnings).to.have.length(1);
    if (reason) expect(warnings[0]!.reason).to.equal(reason);
  }

  it('signs in with the verified identity, ends at /app and clears the OAuth cookie', async () => {
    const end = await browser.follow(connect());
    expect(end.href).to.equal(new URL('/app', site.url).href);
    expect(signIns.map((s) => s.identity)).to.deep.equal([
      { sub: ada.sub, email: ada.email, emailVerified: true },
    ]);
    expect(signIns[0]!.user.email).to.equal(ada.email);
    expect([...browser.cookies.keys()]).to.deep.equal([]);
  });

  it('takes no return address from the request: every hop stays on this site or the provider', async () => {
    const start = connect();
    for (const name of ['callback', 'redirect_uri', 'origin', 'next', 'return_to', 'state'])
      start.searchParams.set(name, 'https://evil.example/after-login');
    const hops: string[] = [];
    const end = await browser.follow(start, (hop) => {
      hops.push(hop.origin);
      return hop;
    });
    expect(end.href).to.equal(new URL('/app', site.url).href);
    expect([...new Set(hops)]).to.have.members([new URL(site.url).origin, new URL(standin.issuer).origin]);
    // The provider accepts only the registered redirect URI, so it came back through this site's callback.
    expect(signIns).to.have.length(1);
  });

  it('sends state, nonce, an S256 PKCE challenge and the openid email profile scopes', async () => {
    await browser.follow(connect());
    const [request] = standin.authorizeRequests;
    expect(request?.state).to.match(/^[0-9a-f]{40}$/);
    expect(request?.nonce).to.match(/^[0-9a-f]{40}$/);
    expect(request?.codeChallengeMethod).to.equal('S256');
    expect(request?.codeChallenge).to.match(/^[\w-]{43}$/);
    expect(request?.scope).to.equal('openid email profile');
  });

  it('keeps the sign-in in progress in a signed, HttpOnly, SameSite=Lax cookie of ten minutes', async () => {
    const res = await browser.get(connect());
    expect(res.status).to.equal(302);
    const cookie = browser.setCookies.find((line) => line.startsWith('energylive-oauth='));
    expect(cookie)
      .to.match(/httponly/i)
      .and.to.match(/samesite=lax/i)
      .and.to.match(/path=\//i);
    expect(cookie).not.to.match(/secure/i);
    const expires = Date.parse(/expires=([^;]+)/i.exec(cookie ?? '')?.[1] ?? '');
    expect(expires - Date.now()).to.be.within(9 * 60_000, 10 * 60_000 + 1000);
    expect(browser.cookies.has('energylive-oauth.sig')).to.equal(true);
  });

  it('refuses an ID token signed with a foreign key', async () => {
    standin.tweaks = { foreignKey: true };
    expectRefused(await browser.follow(connect()), 'bad_signature');
  });

  it('refuses an ID token issued to another client', async () => {
    standin.tweaks = { audience: 'someone-else.apps.googleusercontent.com' };
    expectRefused(await browser.follow(connect()));
  });

  it('refuses an ID token with another nonce', async () => {
    standin.tweaks = { nonce: 'from-another-sign-in' };
    expectRefused(await browser.follow(connect()));
  });

  it('refuses an ID token without a nonce', async () => {
    standin.tweaks = { nonce: null };
    expectRefused(await browser.follow(connect()));
  });

  it('refuses an expired ID token', async () => {
    standin.tweaks = { expired: true };
    expectRefused(await browser.follow(connect()), 'expired');
  });

  it('rejects a callback whose state was tampered with', async () => {
    const tamper = (hop: URL) => {
      if (hop.pathname === GOOGLE_REDIRECT_PATH) hop.searchParams.set('state', 'f'.repeat(40));
      return hop;
    };
    expectRefused(await browser.follow(connect(), tamper), 'provider_error');
  });

  it('rejects a callback that arrives without the OAuth cookie', async () => {
    let stolen: URL | undefined;
    const intercept = (hop: URL) => {
      if (hop.pathname === GOOGLE_REDIRECT_PATH) {
        stolen = new URL(hop);
        browser.cookies.clear();
      }
      return hop;
    };
    expectRefused(await browser.follow(connect(), intercept), 'no_oauth_session');
    expect(stolen?.searchParams.get('code')).to.be.a('string');
  });

  it('refuses to run the same callback twice', async () => {
    let callback: URL | undefined;
    await browser.follow(connect(), (hop) => {
      if (hop.pathname === GOOGLE_REDIRECT_PATH) callback = new URL(hop);
      return hop;
    });
    expect(signIns).to.have.length(1);
    signIns = [];
    expectRefused(await browser.follow(callback!), 'no_oauth_session');
  });

  it('goes back to the sign-in page when the user refuses consent', async () => {
    standin.refuseConsent = true;
    expectRefused(await browser.follow(connect()), 'provider_error');
  });

  it('links the existing account with the same verified email', async () => {
    const [existing] = await db.query<{ id: string }>(
      "INSERT INTO users (email, password_hash) VALUES ('Ada@Example.com', '$argon2id$stand-in') RETURNING id",
    );
    const end = await browser.follow(connect());
    expect(end.pathname).to.equal('/app');
    expect(signIns[0]!.user.id).to.equal(existing!.id);
    const [row] = await db.query<{ google_sub: string }>('SELECT google_sub FROM users WHERE id = $1', [
      existing!.id,
    ]);
    expect(row?.google_sub).to.equal(ada.sub);
  });

  it('refuses a Google account whose email Google has not verified', async () => {
    await db.query(
      "INSERT INTO users (email, password_hash) VALUES ('ada@example.com', '$argon2id$stand-in')",
    );
    standin.identity = { ...ada, email_verified: false };
    const end = await browser.follow(connect());
    expect(end.pathname + end.search).to.equal('/signin?error=google');
    expect(warnings.map((w) => w.reason)).to.deep.equal(['GOOGLE_EMAIL_UNVERIFIED']);
    const rows = await db.query<{ google_sub: string | null }>('SELECT google_sub FROM users');
    expect(rows).to.deep.equal([{ google_sub: null }]);
  });

  it('says Google sign-in is available', async () => {
    const res = await fetch(new URL('/api/v1/auth/google/status', site.url));
    expect(await res.json()).to.deep.equal({ available: true, start: GOOGLE_CONNECT_PATH });
  });
});

describe('Continue with Google without a client id', () => {
  it('mounts only the status route, which says Google sign-in is unavailable', async () => {
    const site = await serve((app, publicUrl) => {
      mountGoogleSignIn(app, {
        google: { clientId: undefined, clientSecret: undefined, issuer: 'https://accounts.google.com' },
        publicUrl,
        secret: 'unused',
        signIn: () => Promise.reject(new Error('never called')),
        logger: { warn: () => undefined },
      });
      return Promise.resolve();
    });
    try {
      const status = await fetch(new URL('/api/v1/auth/google/status', site.url));
      expect(await status.json()).to.deep.equal({ available: false });
      const start = await fetch(new URL(GOOGLE_CONNECT_PATH, site.url), { redirect: 'manual' });
      expect(start.status).to.equal(404);
    } finally {
      await site.close();
    }
  });
});
