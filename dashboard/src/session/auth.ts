import { api, ApiError } from '../api/client';
import { refreshSession, sessionEnded } from './session';

/**
 * Every request that opens, changes or ends the browser's session. The client keeps the CSRF token each
 * answer carries; the profile is then read again so every view sees the new state.
 */

export async function signIn(email: string, password: string): Promise<void> {
  await api.post('/auth/login', { email, password });
  await refreshSession();
}

/** Emails a confirmation link; the account exists once it is followed. */
export async function signUp(email: string, password: string): Promise<void> {
  await api.post('/auth/signup', { email, password });
}

export async function confirmSignUp(token: string): Promise<void> {
  await api.post('/auth/signup/confirm', { token });
  await refreshSession();
}

/** Emails a reset link when the address has an account; the answer is the same either way. */
export async function requestPasswordReset(email: string): Promise<void> {
  await api.post('/auth/reset', { email });
}

export async function confirmPasswordReset(token: string, password: string): Promise<void> {
  await api.post('/auth/reset/confirm', { token, password });
  await refreshSession();
}

/**
 * Ends every other session of the account; this one continues with a new id. API tokens keep working:
 * the answer says how many, so the page can offer to revoke them.
 */
export async function changePassword(current: string, password: string): Promise<{ tokensKept: number }> {
  const { tokensKept } = await api.post<{ tokensKept: number }>('/auth/password', { current, password });
  return { tokensKept };
}

export async function signOut(): Promise<void> {
  try {
    await api.post('/auth/logout');
  } catch (err) {
    // Already ended elsewhere: the browser is signed out all the same.
    if (!(err instanceof ApiError && err.status === 401)) throw err;
  }
  sessionEnded();
}
