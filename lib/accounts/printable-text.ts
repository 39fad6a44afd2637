import { clientError } from '../../actors/runtime/client-error.js';

/**
 * What does not belong in a label people read back: control characters (PostgreSQL refuses NUL in
 * text), lone surrogates, private-use characters, line and paragraph separators, and the bidirectional
 * overrides and isolates that make a name display as something else.
 */
const UNPRINTABLE = /[\p{Cc}\p{Cs}\p{Co}\p{Zl}\p{Zp}\u202a-\u202e\u2066-\u2069]/u;

/**
 * A short label from a request (a token's name, a grant's reason), trimmed: 1 to `max` characters
 * (code points), all printable, or a 400 naming `parameter` with `rule` as its message.
 */
export function printableText(value: unknown, o: { parameter: string; max: number; rule: string }): string {
  // Longer than any allowed label even counted in UTF-16 units with spaces around: refused unread.
  if (typeof value !== 'string' || value.length > 4 * o.max)
    throw clientError(400, 'BAD_PARAMETER', o.rule, { parameter: o.parameter });
  const text = value.trim();
  const length = Array.from(text).length;
  if (length === 0 || length > o.max || UNPRINTABLE.test(text))
    throw clientError(400, 'BAD_PARAMETER', o.rule, { parameter: o.parameter });
  return text;
}
