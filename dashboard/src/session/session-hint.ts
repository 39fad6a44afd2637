/**
 * Whether this browser was signed in when it last looked. The session cookie is HttpOnly, so a page
 * cannot see it; without this hint every visitor's first page would ask `/me` and log a 401 in the
 * console. It only decides whether to ask: the answer of `/me` is what counts.
 */

export const SESSION_HINT_KEY = 'energylive-session';

export function readSessionHint(): boolean {
  try {
    return window.localStorage.getItem(SESSION_HINT_KEY) === '1';
  } catch {
    // Without storage there is no hint: always ask.
    return true;
  }
}

export function writeSessionHint(signedIn: boolean): void {
  try {
    if (signedIn) window.localStorage.setItem(SESSION_HINT_KEY, '1');
    else window.localStorage.removeItem(SESSION_HINT_KEY);
  } catch {
    // Not remembered; the next visit asks `/me`.
  }
}
