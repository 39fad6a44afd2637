/**
 * What makes a new password acceptable, apart from the list of common passwords (which only the server
 * holds): one module for the accounts service and the dashboard, so the form says what the server would.
 */

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;

/** The rule as the new-password field shows it. */
export const PASSWORD_RULE = `${PASSWORD_MIN} to ${PASSWORD_MAX} characters, not only spaces or one character repeated, no tabs or line breaks, without your email address or “EnergyLive”, not one of the most common passwords.`;

const PRODUCT_NAME = 'energylive';

/**
 * Shorter local parts (`a@…`, `tom@…`) are everyday syllables: refusing every password containing them
 * would refuse good passphrases and protect nothing a guesser gains from the address.
 */
const LOCAL_PART_MIN = 4;

/** Whitespace, separators, control and format characters (zero-width spaces, joiners, BOM). */
const INVISIBLE = /^[\p{White_Space}\p{Z}\p{Cc}\p{Cf}]*$/u;

/**
 * Control characters (NUL, tab, line breaks, DEL, C1): no keyboard types them into a password field, which
 * drops line breaks anyway, so one here is a paste accident or a probe, and a password holding it could
 * not be typed again at sign-in. Format characters (zero-width joiners in emoji) stay allowed.
 */
const CONTROL = /\p{Cc}/u;

/** Characters as people count them (code points), the way the length rule counts. */
export function passwordLength(password: string): number {
  return Array.from(password).length;
}

/** Full-width letters, ligatures and composed accents as their plain forms, in lower case. */
const folded = (text: string) => text.normalize('NFKC').toLowerCase();

/** The forms of the address's local part a password must not contain: as typed, without its +tag and separators. */
function localParts(email: string): string[] {
  const at = email.lastIndexOf('@');
  if (at <= 0) return [];
  const local = folded(email.slice(0, at).trim());
  const untagged = local.split('+')[0] ?? local;
  const forms = [local, untagged].flatMap((form) => [form, form.replace(/[._-]/g, '')]);
  return [...new Set(forms)].filter((form) => passwordLength(form) >= LOCAL_PART_MIN);
}

/** Why `password` may not be chosen by the owner of `email` (when known), as a sentence; null when it may. */
export function passwordProblem(password: string, email?: string): string | null {
  const length = passwordLength(password);
  if (length < PASSWORD_MIN) return `Use at least ${PASSWORD_MIN} characters.`;
  if (length > PASSWORD_MAX) return `Use at most ${PASSWORD_MAX} characters.`;
  if (INVISIBLE.test(password))
    return 'Use letters, digits or symbols, not only spaces or invisible characters.';
  if (CONTROL.test(password))
    return 'Use letters, digits, symbols and spaces, not control characters such as tabs or line breaks.';
  const plain = folded(password);
  if (new Set(plain).size === 1) return 'Use more than one character repeated.';
  if (plain.includes(PRODUCT_NAME)) return 'Do not use “EnergyLive” in your password.';
  if (email !== undefined && localParts(email).some((part) => plain.includes(part)))
    return 'Do not use your email address in your password.';
  return null;
}
