/** The API and the probes are the server's; a link there must load as a whole page. */
export function isServerPath(path: string): boolean {
  return path === '/api' || path.startsWith('/api/') || ['/healthz', '/readyz', '/metrics'].includes(path);
}

const ORIGIN = 'https://energylive.invalid';
const ELSEWHERE = 'https://elsewhere.invalid';

/** C0 controls and DEL: the URL parser drops tabs and line breaks, so `/\t/evil` would become `//evil`. */
const hasControl = (text: string) =>
  Array.from(text).some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);

/**
 * The path of a page of this app once dot segments are resolved: plain segments, no percent-escapes
 * (`%2F`, `%5C` and `%2e` spell separators and dots a later decoding step could act on), no empty segment.
 */
const PAGE_PATH = /^(?:\/[A-Za-z0-9\-._~!$&'()*+,;=:@]+)*\/?$/;

/**
 * Where to go after signing in: a page of this app named by `?next=`, or `fallback`. Anything that could
 * leave the app or hit the API is refused, so a crafted sign-in link cannot send a user elsewhere:
 * `//host`, `/\host`, `https:`, `javascript:`, control characters, and paths that only turn into one of
 * those once resolved (`/..//host`) or decoded (`/%2F%2Fhost`). The answer is checked to stay on the
 * origin of whatever page resolves it.
 */
export function safeNext(next: string | null, fallback = '/app'): string {
  if (!next?.startsWith('/') || next.startsWith('//') || next.includes('\\') || hasControl(next))
    return fallback;
  let url: URL;
  try {
    url = new URL(next, ORIGIN);
  } catch {
    return fallback;
  }
  if (url.origin !== ORIGIN || !PAGE_PATH.test(url.pathname) || isServerPath(url.pathname)) return fallback;
  const target = url.pathname + url.search + url.hash;
  return new URL(target, ELSEWHERE).origin === ELSEWHERE ? target : fallback;
}

/** The sign-in page that returns to `next` afterwards. */
export function signInPath(next: string): string {
  return `/signin?next=${encodeURIComponent(next)}`;
}
