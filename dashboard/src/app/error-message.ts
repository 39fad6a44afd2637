import { ApiError } from '../api/client';

/** Seconds until a rate limit lifts, from a 429's body, when the error carries it. */
function retryAfterSeconds(err: ApiError): number | undefined {
  const value = (err as ApiError & { retryAfter?: unknown }).retryAfter;
  return typeof value === 'number' && value > 0 ? value : undefined;
}

function sentence(text: string): string {
  const trimmed = text.trim();
  if (!trimmed) return trimmed;
  const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}

/** What went wrong, for the person at the keyboard, from anything an API call can throw. */
export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) {
    if (err.status === 429) {
      const seconds = retryAfterSeconds(err);
      return seconds === undefined
        ? 'Too many attempts. Try again in a few minutes.'
        : `Too many attempts. Try again in ${Math.ceil(seconds / 60)} min.`;
    }
    // A 5xx with a code is a deliberate answer (subscriptions switched off); without one it is an outage.
    if (err.status >= 500 && err.code === undefined)
      return err.status === 503
        ? 'EnergyLive is briefly unavailable. Try again in a moment.'
        : 'Something went wrong on our side. Try again in a moment.';
    return sentence(err.message);
  }
  // fetch rejects with a TypeError when the request never got an answer.
  if (err instanceof TypeError) return 'EnergyLive cannot be reached. Check your connection and try again.';
  return 'Something went wrong. Try again in a moment.';
}
