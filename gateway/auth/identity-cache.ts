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

  constructor(
    private readonly accounts: AccountsClient,
    private readonly ttlMs = 5_000,
    private readonly maxEntries = 100_000,
  ) {}

  async identify(credentials: Credentials): Promise<Identity | null> {
    const key = 'token' in credentials ? `t:${credentials.token}` : `s:${credentials.sessionId}`;
    const hit = this.known.get(key);
    if (hit && hit.expires > Date.now()) return hit.identity;
    let check = this.pending.get(key);
    if (!check) {
      check = this.accounts.identify(credentials).finally(() => this.pending.delete(key));
      this.pending.set(key, check);
    }
    const identity = await check;
    if (identity) {
      // Unknown credentials are not kept: a flood of made-up tokens must not fill the map.
      if (this.known.size >= this.maxEntries) this.known.clear();
      this.known.set(key, { identity, expires: Date.now() + this.ttlMs });
    } else {
      this.known.delete(key);
    }
    return identity;
  }

  /** After a sign-out, password change or token revocation here: the user's next request is checked afresh. */
  forgetUser(userId: string): void {
    for (const [key, entry] of this.known) if (entry.identity.user.id === userId) this.known.delete(key);
  }
}
