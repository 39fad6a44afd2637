import { expect } from 'chai';
import { startAccountStack, type AccountStack } from '../support/account-stack.js';
import { startGoogleStandin, type GoogleStandin } from '../support/google-standin.js';
import { RedirectBrowser } from '../support/redirect-browser.js';
import { signUp } from '../support/subscriber.js';

/**
 * "Continue with Google" through the whole gateway: grant's redirect dance with a local OpenID provider
 * that signs real tokens, the server-side ID token check, the accounts actor linking or creating the
 * account, and the EnergyLive session cookie the browser ends up with.
 */
describe('Continue with Google through the gateway', function () {
  this.timeout(120_000);
  let google: GoogleStandin;
  let stack: AccountStack;
  const redirectUris: string[] = [];

  before(async () => {
    google = await startGoogleStandin({ redirectUris });
    stack = await startAccountStack({
      GOOGLE_CLIENT_ID: google.clientId,
      GOOGLE_CLIENT_SECRET: google.clientSecret,
      GOOGLE_ISSUER: google.issuer,
    });
    redirectUris.push(`${stack.base}/api/v1/auth/connect/google/callback`);
  });

  after(async () => {
    await stack.stop();
    await google.close();
  });

  async function signInWithGoogle(): Promise<{ landed: URL; browser: RedirectBrowser }> {
    const browser = new RedirectBrowser();
    const landed = await browser.follow(new URL('/api/v1/auth/connect/google', stack.base));
    return { landed, browser };
  }

  const me = async (browser: RedirectBrowser) => {
    const session = browser.cookies.get('energylive_session');
    if (!session) return null;
    const res = await fetch(`${stack.base}/api/v1/me`, {
      headers: { cookie: `energylive_session=${session}` },
    });
    return res.status === 200 ? ((await res.json()) as { email: string; signIn: string[] }) : null;
  };

  it('creates an account for a new Google user and signs the browser in', async () => {
    google.identity = { sub: '200000000000000000001', email: 'grace@example.com', email_verified: true };
    google.tweaks = {};
    const { landed, browser } = await signInWithGoogle();
    expect(landed.pathname).to.equal('/app');
    expect(await me(browser)).to.deep.include({ email: 'grace@example.com', signIn: ['google'] });
    expect(stack.mailer.sent.filter((e) => e.to === 'grace@example.com')).to.deep.equal([]);
  });

  it('links Google to the existing account with the same verified email', async () => {
    const email = `linked-${Date.now()}@example.com`;
    await signUp(stack.base, email, 'a password account passphrase', stack.emailText);
    google.identity = { sub: '200000000000000000002', email: email.toUpperCase(), email_verified: true };
    google.tweaks = {};
    const before = stack.mailer.sent.length;
    const { browser } = await signInWithGoogle();
    expect(await me(browser)).to.deep.include({ email, signIn: ['password', 'google'] });
    const note = await stack.mailer.next(email, before);
    expect(note.subject).to.match(/Google/);
    expect(note.text).to.contain(email.toUpperCase()).and.to.contain(`${stack.base}/reset`);
    // Later Google sign-ins of the linked account are ordinary: no further note.
    await signInWithGoogle();
    expect(stack.mailer.sent.slice(before).filter((e) => e.to === email)).to.have.length(1);
    const { rows } = await stack.sql.query(
      'SELECT count(*)::int AS n FROM users WHERE lower(email) = lower($1)',
      [email],
    );
    expect(rows).to.deep.equal([{ n: 1 }]);
  });

  it('signs nobody in with a forged ID token or one issued for another client', async () => {
    google.identity = { sub: '200000000000000000003', email: 'mallory@example.com', email_verified: true };
    for (const tweaks of [{ foreignKey: true }, { audience: 'someone-elses-client-id' }]) {
      google.tweaks = tweaks;
      const { landed, browser } = await signInWithGoogle();
      expect(landed.pathname, JSON.stringify(tweaks)).to.equal('/signin');
      expect(landed.searchParams.get('error')).to.equal('google');
      expect(await me(browser)).to.equal(null);
    }
    const { rows } = await stack.sql.query("SELECT 1 FROM users WHERE email = 'mallory@example.com'");
    expect(rows).to.have.length(0);
  });
});
