import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';

/** The endpoints of an OpenID provider, from its discovery document. */
export interface OpenIdProvider {
  issuer: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  jwksUri: string;
}

/** Who Google says signed in; `emailVerified` is Google's word that the address belongs to them. */
export interface GoogleIdentity {
  sub: string;
  email: string;
  emailVerified: boolean;
}

export type GoogleIdentityFailure =
  | 'discovery_failed'
  | 'keys_unavailable'
  | 'malformed_token'
  | 'bad_signature'
  | 'unknown_key'
  | 'wrong_issuer'
  | 'wrong_audience'
  | 'expired'
  | 'invalid_claims'
  | 'nonce_mismatch'
  | 'missing_email';

/** Why an ID token was not accepted; the message is for the log, never for the user. */
export class GoogleIdentityError extends Error {
  override readonly name = 'GoogleIdentityError';
  constructor(
    readonly reason: GoogleIdentityFailure,
    message: string,
  ) {
    super(message);
  }
}

const GOOGLE_ISSUER = 'https://accounts.google.com';
/** Clocks of the browser-facing server and the provider differ a little; a minute is plenty. */
const CLOCK_TOLERANCE_S = 60;
const DISCOVERY_TIMEOUT_MS = 10_000;

/** Google documents both spellings as the `iss` of its ID tokens. */
export function acceptedIssuers(issuer: string): string[] {
  return issuer === GOOGLE_ISSUER ? [GOOGLE_ISSUER, 'accounts.google.com'] : [issuer];
}

function requireString(doc: Record<string, unknown>, field: string): string {
  const value = doc[field];
  if (typeof value !== 'string' || value === '')
    throw new GoogleIdentityError('discovery_failed', `discovery document has no ${field}`);
  return value;
}

async function fetchDiscovery(issuer: string): Promise<OpenIdProvider> {
  const url = `${issuer}/.well-known/openid-configuration`;
  let doc: Record<string, unknown>;
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(DISCOVERY_TIMEOUT_MS) });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    doc = (await res.json()) as Record<string, unknown>;
  } catch (err) {
    throw new GoogleIdentityError('discovery_failed', `${url}: ${(err as Error).message}`);
  }
  // OpenID Connect Discovery: a document naming another issuer must not be used.
  if (doc.issuer !== issuer)
    throw new GoogleIdentityError('discovery_failed', `${url} names issuer ${String(doc.issuer)}`);
  return {
    issuer,
    authorizationEndpoint: requireString(doc, 'authorization_endpoint'),
    tokenEndpoint: requireString(doc, 'token_endpoint'),
    jwksUri: requireString(doc, 'jwks_uri'),
  };
}

// Endpoints hardly ever move, so one fetch per process; a failed fetch is forgotten and retried.
const discoveries = new Map<string, Promise<OpenIdProvider>>();
// Per keys URL: jose refetches on an unknown key id, which is how provider key rotation arrives.
const keySets = new Map<string, JWTVerifyGetKey>();

/** The provider's endpoints from `${issuer}/.well-known/openid-configuration`, fetched once. */
export function discoverOpenIdProvider(issuer: string): Promise<OpenIdProvider> {
  const normalized = issuer.replace(/\/+$/, '');
  let discovery = discoveries.get(normalized);
  if (!discovery) {
    discovery = fetchDiscovery(normalized);
    discoveries.set(normalized, discovery);
    discovery.catch(() => discoveries.delete(normalized));
  }
  return discovery;
}

function keySet(jwksUri: string): JWTVerifyGetKey {
  let keys = keySets.get(jwksUri);
  if (!keys) {
    keys = createRemoteJWKSet(new URL(jwksUri));
    keySets.set(jwksUri, keys);
  }
  return keys;
}

function asIdentityError(err: unknown): GoogleIdentityError {
  const message = (err as Error).message;
  if (err instanceof errors.JWTExpired) return new GoogleIdentityError('expired', message);
  if (err instanceof errors.JWTClaimValidationFailed) {
    if (err.claim === 'iss') return new GoogleIdentityError('wrong_issuer', message);
    if (err.claim === 'aud') return new GoogleIdentityError('wrong_audience', message);
    return new GoogleIdentityError('invalid_claims', message);
  }
  if (err instanceof errors.JWSSignatureVerificationFailed)
    return new GoogleIdentityError('bad_signature', message);
  if (err instanceof errors.JWKSNoMatchingKey) return new GoogleIdentityError('unknown_key', message);
  // A failed fetch of the keys is a TypeError from fetch or jose's generic error, not a bad token.
  const generic = err instanceof errors.JOSEError && err.code === 'ERR_JOSE_GENERIC';
  if (
    generic ||
    err instanceof errors.JWKSTimeout ||
    err instanceof errors.JWKSInvalid ||
    err instanceof TypeError
  )
    return new GoogleIdentityError('keys_unavailable', message);
  return new GoogleIdentityError('malformed_token', message);
}

/**
 * Checks an ID token the way OpenID Connect Core §3.1.3.7 asks: signed by one of the provider's
 * published keys, issued by the provider for this client, not expired, and carrying the nonce this
 * browser's sign-in generated (so a token from another sign-in cannot be replayed here).
 */
export async function verifyIdToken(
  idToken: string,
  expected: { issuer: string; clientId: string; nonce: string | undefined },
): Promise<GoogleIdentity> {
  const provider = await discoverOpenIdProvider(expected.issuer);
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(idToken, keySet(provider.jwksUri), {
      issuer: acceptedIssuers(provider.issuer),
      audience: expected.clientId,
      algorithms: ['RS256'],
      clockTolerance: CLOCK_TOLERANCE_S,
      requiredClaims: ['sub', 'exp', 'iat'],
    }));
  } catch (err) {
    throw asIdentityError(err);
  }
  if (Array.isArray(payload.aud) && payload.aud.length > 1 && payload.azp !== expected.clientId)
    throw new GoogleIdentityError('wrong_audience', 'token issued to another party (azp)');
  if (!expected.nonce || payload.nonce !== expected.nonce)
    throw new GoogleIdentityError(
      'nonce_mismatch',
      expected.nonce ? 'nonce differs' : 'no nonce was expected',
    );
  const { sub, email } = payload;
  if (typeof sub !== 'string' || sub === '') throw new GoogleIdentityError('invalid_claims', 'no subject');
  if (typeof email !== 'string' || email === '')
    throw new GoogleIdentityError('missing_email', 'token carries no email');
  // Google has sent the flag as a string in some token versions.
  const verified = payload.email_verified === true || payload.email_verified === 'true';
  return { sub, email, emailVerified: verified };
}
