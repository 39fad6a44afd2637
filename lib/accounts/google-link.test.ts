import { expect } from 'chai';
import { testAccountsDb } from '../../test/support/postgres.js';
import type { AccountsDb } from './database.js';
import type { GoogleIdentity } from './google-identity.js';
import { userForGoogle } from './google-link.js';

describe('Google account linking (postgres)', () => {
  let db: AccountsDb;
  let dispose: () => Promise<void>;

  before(async () => {
    ({ db, dispose } = await testAccountsDb('postgres'));
  });
  after(() => dispose());
  beforeEach(() => db.query('DELETE FROM users'));

  const ada: GoogleIdentity = { sub: 'google-ada', email: 'ada@example.com', emailVerified: true };

  async function users() {
    return db.query<{ id: string; email: string; password_hash: string | null; google_sub: string | null }>(
      'SELECT id, email, password_hash, google_sub FROM users ORDER BY email',
    );
  }

  async function passwordUser(email: string): Promise<string> {
    const [row] = await db.query<{ id: string }>(
      "INSERT INTO users (email, password_hash) VALUES ($1, '$argon2id$stand-in') RETURNING id",
      [email],
    );
    return row!.id;
  }

  async function refusal(identity: GoogleIdentity): Promise<string> {
    try {
      await userForGoogle(db, identity);
    } catch (err) {
      return (err as { type: string }).type;
    }
    throw new Error('expected the sign-in to be refused');
  }

  it('creates an account without a password for a new verified Google identity', async () => {
    const user = await userForGoogle(db, ada);
    expect(user.email).to.equal('ada@example.com');
    expect(await users()).to.deep.equal([
      { id: user.id, email: 'ada@example.com', password_hash: null, google_sub: 'google-ada' },
    ]);
  });

  it('finds the linked account by Google subject, even after the Google email changed', async () => {
    const first = await userForGoogle(db, ada);
    const again = await userForGoogle(db, {
      ...ada,
      email: 'ada.lovelace@example.com',
      emailVerified: false,
    });
    expect(again).to.deep.equal(first);
    expect(first.linked).to.equal(false);
    expect(await users()).to.have.length(1);
  });

  it('links the existing account with the same verified email, whatever its case', async () => {
    const id = await passwordUser('Ada@Example.com');
    const user = await userForGoogle(db, ada);
    expect(user).to.deep.equal({ id, email: 'Ada@Example.com', linked: true });
    expect(await userForGoogle(db, ada)).to.deep.equal({ id, email: 'Ada@Example.com', linked: false });
    expect(await users()).to.deep.equal([
      { id, email: 'Ada@Example.com', password_hash: '$argon2id$stand-in', google_sub: 'google-ada' },
    ]);
  });

  it('refuses an unverified email: it neither links an existing account nor creates one', async () => {
    const id = await passwordUser('ada@example.com');
    expect(await refusal({ ...ada, emailVerified: false })).to.equal('GOOGLE_EMAIL_UNVERIFIED');
    expect(await refusal({ ...ada, email: 'new@example.com', emailVerified: false })).to.equal(
      'GOOGLE_EMAIL_UNVERIFIED',
    );
    expect(await users()).to.deep.equal([
      { id, email: 'ada@example.com', password_hash: '$argon2id$stand-in', google_sub: null },
    ]);
  });

  it('refuses an email whose account is linked to another Google account', async () => {
    await userForGoogle(db, ada);
    expect(await refusal({ ...ada, sub: 'google-someone-else' })).to.equal('GOOGLE_EMAIL_TAKEN');
    expect(await users()).to.have.length(1);
  });

  it('creates one account when the first sign-ins of one Google account arrive together', async () => {
    const results = await Promise.all(Array.from({ length: 8 }, () => userForGoogle(db, ada)));
    expect(new Set(results.map((u) => u.id)).size).to.equal(1);
    expect(await users()).to.have.length(1);
  });

  it('links once when the first sign-ins for an existing account arrive together', async () => {
    const id = await passwordUser('ada@example.com');
    const results = await Promise.all(Array.from({ length: 8 }, () => userForGoogle(db, ada)));
    expect(results.map((u) => u.id)).to.deep.equal(Array.from({ length: 8 }, () => id));
    // One of them linked it, so its owner hears of it once.
    expect(results.filter((u) => u.linked)).to.have.length(1);
    expect(await users()).to.have.length(1);
  });
});
