/**
 * Every request the dashboard makes to the gateway: same origin, cookies included, JSON in and out. The
 * session's CSRF token (from sign-in or `/me`) rides on every state-changing request.
 */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string | undefined,
    message: string,
    readonly parameter: string | undefined,
    /** Seconds to wait before trying again, when the server said (429). */
    readonly retryAfter?: number,
  ) {
    super(message);
  }
}

let csrfToken: string | undefined;

/** Remembered from the answers that carry it; forgotten at sign-out. */
export function setCsrfToken(token: string | undefined): void {
  csrfToken = token;
}

export type Query = Record<string, string | number | undefined>;

export function apiUrl(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value));
  const search = params.toString();
  return `/api/v1${path}${search ? `?${search}` : ''}`;
}

/** An answer's JSON, or undefined for an empty or non-JSON body (a proxy's error page, say). */
function parseJson(text: string): unknown {
  try {
    return text ? (JSON.parse(text) as unknown) : undefined;
  } catch {
    return undefined;
  }
}

async function request<T>(
  method: string,
  path: string,
  query: Query,
  body?: unknown,
  signal?: AbortSignal,
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  const res = await fetch(apiUrl(path, query), {
    method,
    headers,
    credentials: 'same-origin',
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    ...(signal ? { signal } : {}),
  });
  const text = await res.text();
  const parsed = parseJson(text);
  if (!res.ok) {
    const e = (parsed ?? {}) as { error?: string; code?: string; parameter?: string; retryAfter?: number };
    throw new ApiError(res.status, e.code, e.error ?? `HTTP ${res.status}`, e.parameter, e.retryAfter);
  }
  const token = (parsed as { csrfToken?: unknown } | undefined)?.csrfToken;
  if (typeof token === 'string') csrfToken = token;
  return parsed as T;
}

export const api = {
  get: <T>(path: string, query: Query = {}, signal?: AbortSignal) =>
    request<T>('GET', path, query, undefined, signal),
  post: <T>(path: string, body: unknown = {}) => request<T>('POST', path, {}, body),
  delete: <T>(path: string) => request<T>('DELETE', path, {}),
};
