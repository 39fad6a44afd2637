import type { Identity } from '../../lib/accounts/account-flows.js';
import type { AccountsClient } from '../accounts-client.js';

export type Credentials = { sessionId: string } | { token: string };

/**
 * Identities this gateway checked in the last few seconds. A dashboard opens several requests at once
 * and a script may send hundreds a second with one token; each would otherwise be a round trip to the
 * accounts actor and its database. Requests arriving together with the same credentials share one
 * check. The price is that a change made elsewhere (sign-out on another gateway, a plan ending) takes
 * effect here within `ttlMs`; changes made through this gateway take effect at once.
 */
export class IdentityCache {
  private readonly known = new Map<string, { identity: Identity; expires: number }>();
  private readonly pending = new Map<string, Promise<Identity | null>>();
  /**
   * Counts `forgetUser` calls. A check under way when a user is forgotten may carry the state from before
   * the change (a token revoked by a password reset): its answer is not kept. Counting every user's
   * changes rather than each user's keeps this bounded, at the price of a spare check now and then.
   */
  private forgotten = 0;

  constructor(
    private readonly accounts: AccountsClient,
    private readonly ttlMs = 5_000,
    private readonly maxEntries = 100_000,
  ) {}

  async identify(credentials: Credentials): Promise<Identity | null> {
    const key = 'token' in credentials ? `t:${credentials.token}` : `s:${credentials.sessionId}`;
    const hit = this.known.get(key);
    if (hit && hit.expires > Date.now()) return hit.identity;
    const shared = this.pending.get(key);
    if (shared) return shared;
    const asked = this.forgotten;
    const check: Promise<Identity | null> = this.accounts
      .identify(credentials)
      .then((identity) => {
        this.keep(key, identity, asked);
        return identity;
      })
      .finally(() => {
        // A newer check may have taken the key since (the user was forgotten meanwhile).
        if (this.pending.get(key) === check) this.pending.delete(key);
      });
    this.pending.set(key, check);
    return check;
  }

  private keep(key: string, identity: Identity | null, asked: number): void {
    if (identity && asked === this.forgotten) {
      // Unknown credentials are not kept: a flood of made-up tokens must not fill the map.
      if (this.known.size >= this.maxEntries) this.known.clear();
      this.known.set(key, { identity, expires: Date.now() + this.ttlMs });
    } else if (!identity) {
      this.known.delete(key);
    }
  }

  /**
   * After a sign-out, password change or reset, or token revocation: the user's next request is checked
   * afresh, and no request from now on shares a check that started before.
   */
  forgetUser(userId: string): void {
    this.forgotten++;
    this.pending.clear();
    for (const [key, entry] of this.known) if (entry.identity.user.id === userId) this.known.delete(key);
  }
}
