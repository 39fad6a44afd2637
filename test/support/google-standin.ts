import crypto from 'node:crypto';
import http from 'node:http';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { listen } from '../../lib/net/listen.js';

/** The Google account the stand-in signs in, without asking. */
export interface StandinIdentity {
  sub: string;
  email: string;
  email_verified: boolean;
}

/** Ways to spoil the next ID tokens, each the token of an attacker or a confused provider. */
export interface IdTokenTweaks {
  /** Signed with a key the provider never published, under the published key's id. */
  foreignKey?: boolean;
  audience?: string;
  /** A nonce other than the one the client sent; null leaves the claim out. */
  nonce?: string | null;
  expired?: boolean;
  issuer?: string;
}

/** What `/authorize` received, so tests can see the client sent state, nonce and a PKCE challenge. */
export interface AuthorizeRequest {
  state: string | undefined;
  nonce: string | undefined;
  codeChallenge: string | undefined;
  codeChallengeMethod: string | undefined;
  scope: string | undefined;
}

export interface GoogleStandin {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Changed by tests between sign-ins. */
  identity: StandinIdentity;
  tweaks: IdTokenTweaks;
  /** The user presses "Cancel" on the consent screen. */
  refuseConsent: boolean;
  authorizeRequests: AuthorizeRequest[];
  /** An ID token for the current identity, as `/token` would issue it. */
  idToken(nonce: string | undefined, tweaks?: IdTokenTweaks): Promise<string>;
  close(): Promise<void>;
}

interface PendingCode {
  clientId: string;
  redirectUri: string;
  nonce: string | undefined;
  codeChallenge: string;
}

const KEY_ID = 'standin-key-1';

function base64url(buffer: Buffer): string {
  return buffer.toString('base64url');
}

function json(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

async function readForm(req: http.IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

/** RFC 6749 §2.3.1: HTTP Basic with the form-urlencoded id and secret, or both in the body. */
function clientCredentials(req: http.IncomingMessage, form: URLSearchParams): { id: string; secret: string } {
  const basic = /^Basic (.+)$/i.exec(req.headers.authorization ?? '');
  if (basic?.[1]) {
    const [id = '', secret = ''] = Buffer.from(basic[1], 'base64').toString('utf8').split(':');
    return { id: decodeURIComponent(id), secret: decodeURIComponent(secret) };
  }
  return { id: form.get('client_id') ?? '', secret: form.get('client_secret') ?? '' };
}

/**
 * A local OpenID provider with Google's protocol: discovery, authorization code flow with PKCE (S256),
 * RS256 ID tokens with a key id, and a JWKS endpoint. It consents at once for `identity`.
 */
export async function startGoogleStandin(options: {
  redirectUris: string[];
  clientId?: string;
  clientSecret?: string;
}): Promise<GoogleStandin> {
  const keys = await generateKeyPair('RS256');
  const foreign = await generateKeyPair('RS256');
  const publicJwk: JWK = { ...(await exportJWK(keys.publicKey)), kid: KEY_ID, alg: 'RS256', use: 'sig' };
  const codes = new Map<string, PendingCode>();

  const standin: GoogleStandin = {
    issuer: '',
    clientId: options.clientId ?? 'standin-client.apps.googleusercontent.com',
    clientSecret: options.clientSecret ?? 'standin-secret',
    identity: { sub: '100000000000000000001', email: 'ada@example.com', email_verified: true },
    tweaks: {},
    refuseConsent: false,
    authorizeRequests: [],
    async idToken(nonce, tweaks = standin.tweaks) {
      const now = Math.floor(Date.now() / 1000);
      const issuedAt = tweaks.expired ? now - 7200 : now;
      const claims: Record<string, unknown> = {
        azp: standin.clientId,
        email: standin.identity.email,
        email_verified: standin.identity.email_verified,
      };
      const tokenNonce = tweaks.nonce === undefined ? nonce : tweaks.nonce;
      if (tokenNonce !== null && tokenNonce !== undefined) claims.nonce = tokenNonce;
      const signingKey: CryptoKey = tweaks.foreignKey ? foreign.privateKey : keys.privateKey;
      return new SignJWT(claims)
        .setProtectedHeader({ alg: 'RS256', kid: KEY_ID, typ: 'JWT' })
        .setIssuer(tweaks.issuer ?? standin.issuer)
        .setAudience(tweaks.audience ?? standin.clientId)
        .setSubject(standin.identity.sub)
        .setIssuedAt(issuedAt)
        .setExpirationTime(issuedAt + 3600)
        .sign(signingKey);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };

  function authorize(url: URL, res: http.ServerResponse): void {
    const q = url.searchParams;
    const redirectUri = q.get('redirect_uri') ?? '';
    // An unknown client or redirect URI is shown to the user, never redirected to (RFC 6749 §4.1.2.1).
    if (q.get('client_id') !== standin.clientId || !options.redirectUris.includes(redirectUri)) {
      res.writeHead(400, { 'content-type': 'text/plain' });
      res.end('invalid client_id or redirect_uri');
      return;
    }
    const state = q.get('state') ?? undefined;
    const request: AuthorizeRequest = {
      state,
      nonce: q.get('nonce') ?? undefined,
      codeChallenge: q.get('code_challenge') ?? undefined,
      codeChallengeMethod: q.get('code_challenge_method') ?? undefined,
      scope: q.get('scope') ?? undefined,
    };
    standin.authorizeRequests.push(request);
    const back = new URL(redirectUri);
    if (state !== undefined) back.searchParams.set('state', state);
    const scopes = (request.scope ?? '').split(' ');
    if (
      q.get('response_type') !== 'code' ||
      !scopes.includes('openid') ||
      request.codeChallengeMethod !== 'S256' ||
      !request.codeChallenge
    ) {
      back.searchParams.set('error', 'invalid_request');
    } else if (standin.refuseConsent) {
      back.searchParams.set('error', 'access_denied');
    } else {
      const code = base64url(crypto.randomBytes(24));
      codes.set(code, {
        clientId: standin.clientId,
        redirectUri,
        nonce: request.nonce,
        codeChallenge: request.codeChallenge,
      });
      back.searchParams.set('code', code);
    }
    res.writeHead(302, { location: back.toString() });
    res.end();
  }

  async function token(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const form = await readForm(req);
    const client = clientCredentials(req, form);
    if (client.id !== standin.clientId || client.secret !== standin.clientSecret) {
      json(res, 401, { error: 'invalid_client' });
      return;
    }
    if (form.get('grant_type') !== 'authorization_code') {
      json(res, 400, { error: 'unsupported_grant_type' });
      return;
    }
    const code = form.get('code') ?? '';
    const pending = codes.get(code);
    codes.delete(code);
    const verifier = form.get('code_verifier') ?? '';
    const challenge = base64url(crypto.createHash('sha256').update(verifier).digest());
    if (
      !pending ||
      pending.clientId !== client.id ||
      pending.redirectUri !== form.get('redirect_uri') ||
      pending.codeChallenge !== challenge
    ) {
      json(res, 400, { error: 'invalid_grant' });
      return;
    }
    json(res, 200, {
      access_token: base64url(crypto.randomBytes(24)),
      token_type: 'Bearer',
      expires_in: 3599,
      scope: 'openid email profile',
      id_token: await standin.idToken(pending.nonce),
    });
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', standin.issuer);
    const issuer = standin.issuer;
    if (req.method === 'GET' && url.pathname === '/.well-known/openid-configuration') {
      json(res, 200, {
        issuer,
        authorization_endpoint: `${issuer}/authorize`,
        token_endpoint: `${issuer}/token`,
        jwks_uri: `${issuer}/jwks`,
        response_types_supported: ['code'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS256'],
        scopes_supported: ['openid', 'email', 'profile'],
        token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
        code_challenge_methods_supported: ['S256'],
      });
    } else if (req.method === 'GET' && url.pathname === '/authorize') {
      authorize(url, res);
    } else if (req.method === 'POST' && url.pathname === '/token') {
      await token(req, res);
    } else if (req.method === 'GET' && url.pathname === '/jwks') {
      json(res, 200, { keys: [publicJwk] });
    } else {
      json(res, 404, { error: 'not_found' });
    }
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      json(res, 500, { error: 'server_error', error_description: String(err) });
    });
  });
  standin.issuer = (await listen(server, 0, '127.0.0.1')).url;
  return standin;
}
