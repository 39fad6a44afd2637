/** The API and the probes are the server's; a link there must load as a whole page. */
export function isServerPath(path: string): boolean {
  return path === '/api' || path.startsWith('/api/') || ['/healthz', '/readyz', '/metrics'].includes(path);
}

const ORIGIN = 'https://energylive.invalid';

/**
 * Where to go after signing in: a page of this app named by `?next=`, or `fallback`. Anything that could
 * leave the app (`//host`, `/\host`, `https:`, `javascript:`) or hit the API is refused, so a crafted sign-in
 * link cannot send a user elsewhere.
 */
export function safeNext(next: string | null, fallback = '/app'): string {
  if (!next?.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return fallback;
  let url: URL;
  try {
    url = new URL(next, ORIGIN);
  } catch {
    return fallback;
  }
  if (url.origin !== ORIGIN || isServerPath(url.pathname)) return fallback;
  return url.pathname + url.search + url.hash;
}

/** The sign-in page that returns to `next` afterwards. */
export function signInPath(next: string): string {
  return `/signin?next=${encodeURIComponent(next)}`;
}
