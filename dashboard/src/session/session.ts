import { api, ApiError, setCsrfToken } from '../api/client';
import type { Profile } from '../api/types';
import { errorMessage } from '../app/error-message';
import { createStore } from '../app/store';
import { pollUntil } from './poll';
import { readSessionHint, SESSION_HINT_KEY, writeSessionHint } from './session-hint';

export type SessionState =
  | { status: 'loading' }
  /**
   * `assumed`: not asked, because this browser was not signed in last time; a page that needs a
   * session asks `/me` before sending the visitor to sign in.
   */
  | { status: 'signed-out'; assumed?: boolean }
  | { status: 'signed-in'; profile: Profile }
  /** `/me` could not be asked (network, outage): whether the browser is signed in is unknown. */
  | { status: 'unavailable'; message: string };

export const session = createStore<SessionState>({ status: 'loading' });

/** Only the newest refresh may set the state: an older answer may predate a sign-in or sign-out. */
let generation = 0;

/** The signed-in user's profile from `/me`, or signed out on 401; the session's CSRF token comes with it. */
export async function refreshSession(): Promise<SessionState> {
  const mine = ++generation;
  let next: SessionState;
  try {
    const profile = await api.get<Profile>('/me');
    setCsrfToken(profile.csrfToken);
    writeSessionHint(true);
    next = { status: 'signed-in', profile };
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) {
      setCsrfToken(undefined);
      writeSessionHint(false);
      next = { status: 'signed-out' };
    } else {
      const current = session.get();
      // A failed refresh of a known profile keeps it: the page stays usable through a blip.
      next = current.status === 'signed-in' ? current : { status: 'unavailable', message: errorMessage(err) };
    }
  }
  if (mine === generation) session.set(next);
  return session.get();
}

/**
 * After Stripe Checkout: the webhook that opens the plan may reach EnergyLive a moment after the browser
 * comes back, so `/me` is asked a few times until the plan is running.
 */
export function refreshAfterCheckout(): Promise<SessionState> {
  return pollUntil(refreshSession, (state) => state.status !== 'signed-in' || state.profile.plan.entitled, {
    attempts: 6,
    intervalMs: 1_000,
  });
}

/** For any view whose request was answered 401: the session ended elsewhere (sign-out, expiry, reset). */
export function sessionEnded(): void {
  generation++;
  setCsrfToken(undefined);
  writeSessionHint(false);
  session.set({ status: 'signed-out' });
}

/** A profile seen a while ago may be stale (plan days, a sign-out elsewhere): looked at again on return. */
const STALE_AFTER_MS = 60_000;

/**
 * Reads the session if this browser may have one, again when the tab comes back after a while, and when
 * another tab signs in or out. Returns the stop function.
 */
export function startSession(): () => void {
  let checkedAt = Date.now();
  if (readSessionHint()) void refreshSession();
  else session.set({ status: 'signed-out', assumed: true });
  const onVisible = () => {
    if (document.visibilityState !== 'visible' || Date.now() - checkedAt < STALE_AFTER_MS) return;
    if (session.get().status !== 'signed-in') return;
    checkedAt = Date.now();
    void refreshSession();
  };
  const onStorage = (event: StorageEvent) => {
    if (event.key === SESSION_HINT_KEY) void refreshSession();
  };
  document.addEventListener('visibilitychange', onVisible);
  window.addEventListener('storage', onStorage);
  return () => {
    document.removeEventListener('visibilitychange', onVisible);
    window.removeEventListener('storage', onStorage);
  };
}
