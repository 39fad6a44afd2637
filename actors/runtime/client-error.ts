import { Errors } from 'moleculer';

/**
 * An answer the caller must see as it is (wrong password, plan expired, too many attempts, billing not
 * set up): it crosses
 * the transporter with its HTTP status as the code, and the gateway answers with that status.
 */
export function clientError(
  status: number,
  type: string,
  message: string,
  data?: Record<string, unknown>,
): Errors.MoleculerClientError {
  return new Errors.MoleculerClientError(message, status, type, data);
}

/** The status, type, message and data of a client error from any process, or null for anything else. */
export function asClientError(
  err: unknown,
): { status: number; type: string; message: string; data: Record<string, unknown> } | null {
  const e = err as {
    name?: unknown;
    code?: unknown;
    type?: unknown;
    message?: unknown;
    data?: unknown;
  } | null;
  if (
    e?.name !== 'MoleculerClientError' ||
    typeof e.code !== 'number' ||
    e.code < 400 ||
    e.code > 599 ||
    typeof e.type !== 'string' ||
    typeof e.message !== 'string'
  )
    return null;
  const data = typeof e.data === 'object' && e.data !== null ? (e.data as Record<string, unknown>) : {};
  return { status: e.code, type: e.type, message: e.message, data };
}
