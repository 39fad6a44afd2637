import { expect } from 'chai';
import { CapturingMailer } from '../../test/support/capturing-mailer.js';
import { ACCOUNTS_ENGINES, testAccountsDb } from '../../test/support/postgres.js';
import { AccountFlows } from './account-flows.js';
import type { AccountsDb } from './database.js';
import { createResetLink } from './email-links.js';
import { argon2Passwords, type PasswordHashing } from './passwords.js';

const TIMEOUTS = { idleMs: 3600_000, maxMs: 86400_000 };

/** The real Argon2 hashing, counted: how often a request made the server hash a password. */
function countedPasswords(): { passwords: PasswordHashing; hashes: () => number } {
  let hashes = 0;
  return {
    passwords: {
      hash: (password) => {
        hashes++;
        return argon2Passwords.hash(password);
      },
      verify: (hash, password) => argon2Passwords.verify(hash, password),
    },
    hashes: () => hashes,
  };
}

async function refusal(work: Promise<unknown>): Promise<string> {
  try {
    await work;
  } catch (err) {
    return (err as { type: string }).type;
  }
  throw new Error('expected a refusal');
}

for (const engine of ACCOUNTS_ENGINES) {
  describe(`password reset confirmation (${engine})`, function () {
    this.timeout(60_000);
    let db: AccountsDb;
    let dispose: () => Promise<void>;
    let flows: AccountFlows;
    let hashes: () => number;
    let userId: string;

    before(async () => {
      ({ db, dispose } = await testAccountsDb(engine));
      const counted = countedPasswords();
      hashes = counted.hashes;
      flows = new AccountFlows({
        db,
        mailer: new CapturingMailer(),
        timeouts: TIMEOUTS,
        publicUrl: 'https://energylive.example',
        passwords: counted.passwords,
        log: () => undefined,
      });
      const [row] = await db.query<{ id: string }>(
        "INSERT INTO users (email, password_hash) VALUES ('reset@example.com', NULL) RETURNING id",
      );
      userId = row!.id;
    });
    after(() => dispose());
    beforeEach(() => db.query('DELETE FROM rate_limits'));

    const confirm = (token: unknown) =>
      flows.confirmReset({ token, password: 'a fresh passphrase', ip: '192.0.2.1' });

    it('costs no password hash for an unknown, used or expired link', async () => {
      const used = await createResetLink(db, userId, 'reset@example.com');
      await confirm(used);
      const expired = await createResetLink(db, userId, 'reset@example.com');
      await db.query("UPDATE email_links SET expires_at = now() - interval '1 second' WHERE used_at IS NULL");
      const before = hashes();
      for (const token of ['x'.repeat(43), used, expired, `${'x'.repeat(42)}\u0000`])
        expect(await refusal(confirm(token)), token).to.equal('INVALID_LINK');
      for (const token of [42, undefined, ['x'.repeat(43)]])
        expect(await refusal(confirm(token)), String(token)).to.equal('BAD_PARAMETER');
      expect(hashes() - before).to.equal(0);
    });

    it('hashes the password once for a valid link, and the link works once', async () => {
      const token = await createResetLink(db, userId, 'reset@example.com');
      const before = hashes();
      const signedIn = await confirm(token);
      expect(signedIn.user.id).to.equal(userId);
      expect(hashes() - before).to.equal(1);
      expect(await refusal(confirm(token))).to.equal('INVALID_LINK');
    });

    it('keeps a valid link usable when the new password is refused', async () => {
      const token = await createResetLink(db, userId, 'reset@example.com');
      expect(await refusal(flows.confirmReset({ token, password: 'password', ip: '192.0.2.1' }))).to.equal(
        'WEAK_PASSWORD',
      );
      expect((await confirm(token)).user.id).to.equal(userId);
    });
  });
}
