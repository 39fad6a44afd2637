import { expect } from 'chai';
import { migrateAccounts, MIGRATIONS } from './migrations.js';
import { ACCOUNTS_ENGINES, testAccountsDb } from '../../test/support/postgres.js';

for (const engine of ACCOUNTS_ENGINES) {
  describe(`accounts schema on ${engine}`, () => {
    it('applies every migration once, and again is a no-op', async () => {
      const { db, dispose } = await testAccountsDb(engine);
      try {
        await migrateAccounts(db);
        const rows = await db.query<{ version: number }>(
          'SELECT version FROM schema_migrations ORDER BY version',
        );
        expect(rows.map((r) => r.version)).to.deep.equal(MIGRATIONS.map((m) => m.version));
      } finally {
        await dispose();
      }
    });

    it('keeps one account per email whatever its case', async () => {
      const { db, dispose } = await testAccountsDb(engine);
      try {
        await db.query('INSERT INTO users (email) VALUES ($1)', ['Ada@Example.com']);
        let error: unknown;
        try {
          await db.query('INSERT INTO users (email) VALUES ($1)', ['ada@example.COM']);
        } catch (err) {
          error = err;
        }
        expect(String(error)).to.match(/unique|duplicate/i);
      } finally {
        await dispose();
      }
    });

    it('rolls a failed transaction back whole', async () => {
      const { db, dispose } = await testAccountsDb(engine);
      try {
        let failed = false;
        try {
          await db.transaction(async (tx) => {
            await tx.query('INSERT INTO users (email) VALUES ($1)', ['a@example.com']);
            await tx.query('INSERT INTO users (email) VALUES ($1)', ['A@example.com']);
          });
        } catch {
          failed = true;
        }
        expect(failed).to.equal(true);
        expect(await db.query('SELECT 1 FROM users')).to.have.length(0);
      } finally {
        await dispose();
      }
    });
  });
}
