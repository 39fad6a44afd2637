import { domainToASCII } from 'node:url';
import { clientError } from '../../actors/runtime/client-error.js';

/** RFC 5321: a path is at most 256 octets with its angle brackets. */
export const EMAIL_MAX = 254;
/** RFC 5321 §4.5.3.1.1. */
const LOCAL_PART_MAX = 64;

/**
 * One atom of a dot-atom (RFC 5322): ASCII `atext` or, as RFC 6531 allows, any other letter, mark,
 * digit or symbol; never a control, format character, space or separator. Quoted local parts are refused:
 * nobody gives one to a web form, and they carry the characters this check is here to keep out.
 */
const ATOM = "(?:[\\w!#$%&'*+/=?^`{|}~-]|[^\\p{ASCII}\\p{C}\\p{Z}])+";
const LOCAL_PART = new RegExp(`^${ATOM}(?:\\.${ATOM})*$`, 'u');
/** A domain as typed: letters (of any script), digits, hyphens and dots; nothing `domainToASCII` would decode. */
const DOMAIN_TYPED = /^[\p{L}\p{M}\p{N}.-]+$/u;
/** One label of a host name once in ASCII (RFC 1123), punycode included. */
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
/** Top-level domains are letters, or punycode for the internationalised ones; never digits (an IP address). */
const TOP_LABEL = /^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;

const utf8Length = (text: string) => Buffer.byteLength(text, 'utf8');

function isDomain(domain: string): boolean {
  if (!DOMAIN_TYPED.test(domain)) return false;
  const ascii = domainToASCII(domain);
  if (ascii === '' || ascii.length > 253) return false;
  const labels = ascii.split('.');
  const top = labels.at(-1) ?? '';
  return labels.length >= 2 && labels.every((label) => LABEL.test(label)) && TOP_LABEL.test(top);
}

/**
 * The address a request names, trimmed, or a 400 naming `parameter`. A real address's syntax and
 * lengths, checked before it reaches the database or a mail server: no control character (PostgreSQL
 * refuses NUL), no space, at most 254 octets, a domain a mail server could resolve. Whether the mailbox
 * exists is the confirmation email's business.
 */
export function parseEmail(value: unknown, parameter = 'email'): string {
  const refuse = () =>
    clientError(400, 'BAD_PARAMETER', `expected an email address of at most ${EMAIL_MAX} characters`, {
      parameter,
    });
  // Longer than any address even with surrounding spaces: refused before any work on it.
  if (typeof value !== 'string' || value.length > 2 * EMAIL_MAX) throw refuse();
  const email = value.trim();
  const at = email.lastIndexOf('@');
  const local = email.slice(0, at);
  const domain = email.slice(at + 1);
  if (
    at < 1 ||
    utf8Length(email) > EMAIL_MAX ||
    utf8Length(local) > LOCAL_PART_MAX ||
    !LOCAL_PART.test(local) ||
    !isDomain(domain)
  )
    throw refuse();
  return email;
}
