import { clientError } from '../../actors/runtime/client-error.js';
import type { AccountsDb, Sql } from './database.js';
import { parseEmail } from './email-address.js';
import type { GoogleIdentity } from './google-identity.js';

export interface GoogleUser {
  id: string;
  email: string;
}

/** The account a Google sign-in opens, and whether this sign-in linked Google to an existing account. */
export type GoogleSignInUser = GoogleUser & { linked: boolean };

const UNIQUE_VIOLATION = '23505';
/** OpenID Connect Core §2: at most 255 ASCII characters (Google's are digits). */
const SUBJECT = /^[\x21-\x7e]{1,255}$/;

async function findOrCreate(tx: Sql, identity: GoogleIdentity): Promise<GoogleSignInUser> {
  const [known] = await tx.query<GoogleUser>('SELECT id, email FROM users WHERE google_sub = $1', [
    identity.sub,
  ]);
  if (known) return { ...known, linked: false };
  // Linking only on an address Google has verified prevents account pre-hijacking: otherwise anyone
  // could put a victim's address on an identity they control and be let into the victim's account.
  if (!identity.emailVerified)
    throw clientError(403, 'GOOGLE_EMAIL_UNVERIFIED', 'Google has not verified this email address');
  const [linked] = await tx.query<GoogleUser>(
    'UPDATE users SET google_sub = $1 WHERE lower(email) = lower($2) AND google_sub IS NULL RETURNING id, email',
    [identity.sub, identity.email],
  );
  if (linked) return { ...linked, linked: true };
  const [sameEmail] = await tx.query<GoogleUser & { google_sub: string | null }>(
    'SELECT id, email, google_sub FROM users WHERE lower(email) = lower($1)',
    [identity.email],
  );
  if (sameEmail) {
    // A concurrent first sign-in linked it after our UPDATE waited for its row lock.
    if (sameEmail.google_sub === identity.sub)
      return { id: sameEmail.id, email: sameEmail.email, linked: false };
    throw clientError(
      409,
      'GOOGLE_EMAIL_TAKEN',
      'this email belongs to an account linked to another Google account',
    );
  }
  const [created] = await tx.query<GoogleUser>(
    'INSERT INTO users (email, google_sub) VALUES ($1, $2) RETURNING id, email',
    [identity.email, identity.sub],
  );
  if (!created) throw new Error('INSERT … RETURNING returned no row');
  return { ...created, linked: false };
}

/**
 * The account a Google sign-in opens: the one already linked to this Google subject, else the account
 * with the same verified email (linked from now on: `linked` says so once), else a new account without a
 * password.
 */
export async function userForGoogle(db: AccountsDb, claims: GoogleIdentity): Promise<GoogleSignInUser> {
  // Signed by Google, yet checked like any request's values before they meet the database.
  if (!SUBJECT.test(claims.sub))
    throw clientError(400, 'BAD_PARAMETER', 'the Google subject is not an identifier', { parameter: 'sub' });
  const identity = { ...claims, email: parseEmail(claims.email) };
  try {
    return await db.transaction((tx) => findOrCreate(tx, identity));
  } catch (err) {
    // Two first sign-ins of one Google account at once: the loser's INSERT or link hits a unique index,
    // and by then the winner has committed, so reading again finds the winner's account.
    if ((err as { code?: unknown }).code !== UNIQUE_VIOLATION) throw err;
    return db.transaction((tx) => findOrCreate(tx, identity));
  }
}
