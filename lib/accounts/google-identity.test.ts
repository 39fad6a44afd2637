import { expect } from 'chai';
import { freePort } from '../../test/support/nats-server.js';
import { startGoogleStandin, type GoogleStandin } from '../../test/support/google-standin.js';
import {
  acceptedIssuers,
  discoverOpenIdProvider,
  GoogleIdentityError,
  verifyIdToken,
  type GoogleIdentityFailure,
} from './google-identity.js';

describe('Google identity (OpenID Connect ID tokens)', () => {
  let standin: GoogleStandin;
  const nonce = 'nonce-of-this-sign-in';

  before(async () => {
    standin = await startGoogleStandin({ redirectUris: [] });
  });
  after(() => standin.close());

  const expected = () => ({ issuer: standin.issuer, clientId: standin.clientId, nonce });

  async function failure(promise: Promise<unknown>): Promise<GoogleIdentityFailure> {
    try {
      await promise;
    } catch (err) {
      expect(err).to.be.instanceOf(GoogleIdentityError);
      return (err as GoogleIdentityError).reason;
    }
    throw new Error('expected the token to be refused');
  }

  it('reads the endpoints from the discovery document', async () => {
    const provider = await discoverOpenIdProvider(standin.issuer);
    expect(provider).to.deep.equal({
      issuer: standin.issuer,
      authorizationEndpoint: `${standin.issuer}/authorize`,
      tokenEndpoint: `${standin.issuer}/token`,
      jwksUri: `${standin.issuer}/jwks`,
    });
  });

  it('accepts a token signed by the provider for this client with this nonce', async () => {
    const identity = await verifyIdToken(await standin.idToken(nonce), expected());
    expect(identity).to.deep.equal({
      sub: standin.identity.sub,
      email: standin.identity.email,
      emailVerified: true,
    });
  });

  it('reports an unverified email as such', async () => {
    standin.identity = { ...standin.identity, email_verified: false };
    try {
      const identity = await verifyIdToken(await standin.idToken(nonce), expected());
      expect(identity.emailVerified).to.equal(false);
    } finally {
      standin.identity = { ...standin.identity, email_verified: true };
    }
  });

  it('refuses a token signed with a key the provider never published', async () => {
    const token = await standin.idToken(nonce, { foreignKey: true });
    expect(await failure(verifyIdToken(token, expected()))).to.equal('bad_signature');
  });

  it('refuses a token issued to another client', async () => {
    const token = await standin.idToken(nonce, { audience: 'someone-else.apps.googleusercontent.com' });
    expect(await failure(verifyIdToken(token, expected()))).to.equal('wrong_audience');
  });

  it('refuses a token from another issuer', async () => {
    const token = await standin.idToken(nonce, { issuer: 'https://evil.example' });
    expect(await failure(verifyIdToken(token, expected()))).to.equal('wrong_issuer');
  });

  it('refuses an expired token', async () => {
    const token = await standin.idToken(nonce, { expired: true });
    expect(await failure(verifyIdToken(token, expected()))).to.equal('expired');
  });

  it('refuses a token with another nonce, without one, or when no nonce was sent', async () => {
    const other = await standin.idToken(nonce, { nonce: 'replayed-from-elsewhere' });
    expect(await failure(verifyIdToken(other, expected()))).to.equal('nonce_mismatch');
    const none = await standin.idToken(nonce, { nonce: null });
    expect(await failure(verifyIdToken(none, expected()))).to.equal('nonce_mismatch');
    const good = await standin.idToken(nonce);
    expect(await failure(verifyIdToken(good, { ...expected(), nonce: undefined }))).to.equal(
      'nonce_mismatch',
    );
  });

  it('refuses something that is not a JWT', async () => {
    expect(await failure(verifyIdToken('not-a-token', expected()))).to.equal('malformed_token');
  });

  it('fails with a typed error when the issuer has no discovery document', async () => {
    const token = await standin.idToken(nonce);
    const missing = { ...expected(), issuer: `${standin.issuer}/nowhere` };
    expect(await failure(verifyIdToken(token, missing))).to.equal('discovery_failed');
    const unreachable = { ...expected(), issuer: `http://127.0.0.1:${await freePort()}` };
    expect(await failure(verifyIdToken(token, unreachable))).to.equal('discovery_failed');
  });

  it("accepts both spellings of Google's issuer, and only the configured one for others", () => {
    expect(acceptedIssuers('https://accounts.google.com')).to.have.members([
      'https://accounts.google.com',
      'accounts.google.com',
    ]);
    expect(acceptedIssuers('https://login.example')).to.deep.equal(['https://login.example']);
  });
});
