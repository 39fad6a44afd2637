import { RateLimiter } from './rate-limiter.js';

export interface FmsCredentials {
  username: string;
  password: string;
  /** File Library base URL, e.g. `https://fms.tp.entsoe.eu`. */
  apiUrl: string;
  /** Keycloak token endpoint. */
  tokenUrl: string;
}

export interface FmsClientTuning {
  /** The File Library allows 100 requests per minute per account and bans an account for 10 minutes above it. */
  rateLimit?: { requests: number; windowMs: number };
  /** Renew the token this long before it expires (at most half its lifetime). */
  tokenRenewMarginMs?: number;
  /** Longest 429 pause sat out inside a call; a longer one fails the call with `FmsRateLimitError`. */
  maxRateLimitWaitMs?: number;
  /** Pause after a 429 that has no Retry-After: the length of the File Library's ban. */
  defaultRateLimitPauseMs?: number;
  /** 429 answers sat out within one call before it fails with `FmsRateLimitError`. */
  maxRateLimitRetries?: number;
}

export type FmsClientOptions = FmsCredentials & FmsClientTuning;

/** Below the File Library's 100 per minute, so that a clock skew or another tool on the account is not a ban. */
const DEFAULT_RATE_LIMIT = { requests: 90, windowMs: 60_000 };
const DEFAULT_RENEW_MARGIN_MS = 60_000;
const DEFAULT_MAX_RATE_LIMIT_WAIT_MS = 120_000;
const DEFAULT_RATE_LIMIT_PAUSE_MS = 10 * 60_000;
const DEFAULT_MAX_RATE_LIMIT_RETRIES = 5;
const SNIPPET_CHARS = 300;

/** An FMS or token call answered with an error status. The message holds no password or token. */
export class FmsHttpError extends Error {
  override readonly name = 'FmsHttpError';
  constructor(
    readonly operation: string,
    readonly status: number,
    readonly bodySnippet: string,
  ) {
    super(`FMS ${operation} failed: HTTP ${status}${bodySnippet ? `: ${bodySnippet}` : ''}`);
  }
}

/** The account is rate limited for longer, or more often, than one call may wait. */
export class FmsRateLimitError extends Error {
  override readonly name = 'FmsRateLimitError';
  constructor(
    readonly operation: string,
    readonly retryAt: Date,
  ) {
    super(`FMS ${operation}: rate limited until ${retryAt.toISOString()}`);
  }
}

interface Token {
  value: string;
  renewAt: number;
}

/**
 * The File Library's HTTP API: a Keycloak password-grant token (renewed before it expires and after a 401),
 * JSON POSTs, a client-side rate limit, and back-off on 429.
 */
export class FmsClient {
  private readonly options: FmsClientOptions;
  private readonly limiter: RateLimiter;
  private token: Token | null = null;
  private pendingToken: Promise<Token> | null = null;

  constructor(options: FmsClientOptions) {
    this.options = options;
    const limit = options.rateLimit ?? DEFAULT_RATE_LIMIT;
    this.limiter = new RateLimiter(limit.requests, limit.windowMs);
  }

  /** POSTs `body` as JSON to `<apiUrl>/<operation>`; resolves with a 2xx response whose body is unread. */
  async post(operation: string, body: unknown, signal?: AbortSignal): Promise<Response> {
    const url = `${this.options.apiUrl.replace(/\/+$/, '')}/${operation}`;
    let renewedAfter401 = false;
    let rateLimited = 0;
    for (;;) {
      // Waiting for a turn first: a token fetched before a long wait could expire during it.
      await this.waitForTurn(operation, signal);
      const token = await this.currentToken();
      const res = await this.send(operation, url, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token.value}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
        signal,
      });
      if (res.ok) return res;
      if (res.status === 401 && !renewedAfter401) {
        // Revoked or expired early (server restart, clock skew): one retry with a fresh token.
        await res.body?.cancel();
        if (this.token === token) this.token = null;
        renewedAfter401 = true;
        continue;
      }
      if (res.status === 429) {
        await res.body?.cancel();
        // Every later call waits too: hammering a rate-limited account only prolongs the ban.
        this.limiter.pauseUntil(Date.now() + this.retryAfterMs(res.headers.get('retry-after')));
        rateLimited++;
        if (rateLimited > (this.options.maxRateLimitRetries ?? DEFAULT_MAX_RATE_LIMIT_RETRIES)) {
          throw new FmsRateLimitError(operation, new Date(this.limiter.resumeAt));
        }
        continue;
      }
      throw await this.httpError(operation, res);
    }
  }

  async postJson(operation: string, body: unknown, signal?: AbortSignal): Promise<unknown> {
    const res = await this.post(operation, body, signal);
    const text = await res.text();
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new Error(`FMS ${operation} reply is not JSON: ${this.redact(text.slice(0, SNIPPET_CHARS))}`);
    }
  }

  private async waitForTurn(operation: string, signal: AbortSignal | undefined): Promise<void> {
    const maxWait = this.options.maxRateLimitWaitMs ?? DEFAULT_MAX_RATE_LIMIT_WAIT_MS;
    if (this.limiter.resumeAt - Date.now() > maxWait) {
      throw new FmsRateLimitError(operation, new Date(this.limiter.resumeAt));
    }
    await this.limiter.acquire(signal);
  }

  private retryAfterMs(header: string | null): number {
    const fallback = this.options.defaultRateLimitPauseMs ?? DEFAULT_RATE_LIMIT_PAUSE_MS;
    if (header === null || header.trim() === '') return fallback;
    const seconds = Number(header);
    if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
    const date = Date.parse(header);
    return Number.isNaN(date) ? fallback : Math.max(0, date - Date.now());
  }

  private currentToken(): Promise<Token> {
    if (this.token && Date.now() < this.token.renewAt) return Promise.resolve(this.token);
    // Concurrent callers share one token request.
    this.pendingToken ??= this.requestToken().finally(() => {
      this.pendingToken = null;
    });
    return this.pendingToken;
  }

  private async requestToken(): Promise<Token> {
    const requestedAt = Date.now();
    const res = await this.send('token', this.options.tokenUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        client_id: 'tp-fms-public',
        grant_type: 'password',
        username: this.options.username,
        password: this.options.password,
      }),
    });
    if (!res.ok) throw await this.httpError('token', res);
    const data = (await res.json().catch(() => null)) as {
      access_token?: unknown;
      expires_in?: unknown;
    } | null;
    const expiresIn = Number(data?.expires_in);
    if (typeof data?.access_token !== 'string' || data.access_token === '' || !(expiresIn > 0)) {
      throw new Error('FMS token reply lacks access_token or expires_in');
    }
    const lifetimeMs = expiresIn * 1000;
    const margin = Math.min(this.options.tokenRenewMarginMs ?? DEFAULT_RENEW_MARGIN_MS, lifetimeMs / 2);
    this.token = { value: data.access_token, renewAt: requestedAt + lifetimeMs - margin };
    return this.token;
  }

  /** `fetch` whose network errors say which call failed (undici's own message is only "fetch failed"). */
  private async send(operation: string, url: string, init: RequestInit): Promise<Response> {
    try {
      return await fetch(url, init);
    } catch (err) {
      if (init.signal?.aborted) throw err;
      const cause = err instanceof Error && err.cause instanceof Error ? err.cause : err;
      const detail = cause instanceof Error ? cause.message : String(cause);
      throw new Error(`FMS ${operation} request to ${new URL(url).host} failed: ${this.redact(detail)}`, {
        cause: err,
      });
    }
  }

  private async httpError(operation: string, res: Response): Promise<FmsHttpError> {
    const text = await readStart(res, 4 * SNIPPET_CHARS);
    const snippet = this.redact(text.replace(/\s+/g, ' ').trim()).slice(0, SNIPPET_CHARS);
    return new FmsHttpError(operation, res.status, snippet);
  }

  /** A server may echo what it was sent; its words must not carry the password or token into logs. */
  private redact(text: string): string {
    let out = text;
    for (const secret of [this.options.password, this.token?.value]) {
      if (secret) out = out.split(secret).join('***');
    }
    return out;
  }
}

/** The first `maxChars` or so of a body, without reading a huge error page to its end. */
async function readStart(res: Response, maxChars: number): Promise<string> {
  if (!res.body) return '';
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let text = '';
  try {
    while (text.length < maxChars) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
  } catch {
    // A broken error body leaves the status to speak for itself.
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return text;
}
