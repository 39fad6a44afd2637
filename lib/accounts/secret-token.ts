import crypto from 'node:crypto';

/** 128 bits or more from the system's CSPRNG, URL-safe: session ids, email links, API tokens. */
export function randomToken(bytes = 32): string {
  return crypto.randomBytes(bytes).toString('base64url');
}

/** What the database keeps of a secret token: its SHA-256, so a copy of the table opens nothing. */
export function tokenHash(token: string): Buffer {
  return crypto.createHash('sha256').update(token, 'utf8').digest();
}
