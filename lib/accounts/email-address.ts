import { clientError } from '../../actors/runtime/client-error.js';

/** Deliberately loose (the confirmation email is the real check), but one line, one @, a dotted domain. */
const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,251}\.[^\s@]{2,}$/;

export function parseEmail(value: unknown): string {
  if (typeof value !== 'string' || value.length > 320 || !EMAIL.test(value.trim()))
    throw clientError(400, 'BAD_PARAMETER', 'expected an email address', { parameter: 'email' });
  return value.trim();
}
