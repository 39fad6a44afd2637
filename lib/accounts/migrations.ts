import type { AccountsDb } from './database.js';

/**
 * The accounts schema, one migration per version, applied in order and recorded in
 * `schema_migrations`. The same SQL runs on PostgreSQL and on PGlite.
 */
export const MIGRATIONS: { version: number; description: string; sql: string[] }[] = [
  {
    version: 1,
    description: 'users, sessions, API tokens, email links, rate limits, subscriptions, Stripe events',
    sql: [
      `CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email text NOT NULL,
        password_hash text,
        google_sub text UNIQUE,
        stripe_customer_id text UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now()
      )`,
      // Unique whatever the case: Ada@example.com and ada@example.com are one account.
      'CREATE UNIQUE INDEX users_email_key ON users (lower(email))',
      // Only a hash of the cookie's id is stored, so a copy of the table opens no session.
      `CREATE TABLE sessions (
        id_hash bytea PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES users ON DELETE CASCADE,
        csrf_token text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_seen_at timestamptz NOT NULL DEFAULT now()
      )`,
      'CREATE INDEX sessions_user ON sessions (user_id)',
      `CREATE TABLE api_tokens (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users ON DELETE CASCADE,
        name text NOT NULL,
        token_hash bytea NOT NULL UNIQUE,
        prefix text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz,
        revoked_at timestamptz
      )`,
      'CREATE INDEX api_tokens_user ON api_tokens (user_id)',
      // A sign-up waits here until its email is confirmed; a reset link points at its account.
      `CREATE TABLE email_links (
        token_hash bytea PRIMARY KEY,
        purpose text NOT NULL CHECK (purpose IN ('signup', 'reset')),
        email text NOT NULL,
        user_id uuid REFERENCES users ON DELETE CASCADE,
        password_hash text,
        expires_at timestamptz NOT NULL,
        used_at timestamptz
      )`,
      `CREATE TABLE rate_limits (
        key text PRIMARY KEY,
        window_start timestamptz NOT NULL,
        hits integer NOT NULL
      )`,
      `CREATE TABLE subscriptions (
        user_id uuid PRIMARY KEY REFERENCES users ON DELETE CASCADE,
        stripe_subscription_id text UNIQUE,
        status text NOT NULL,
        current_period_end timestamptz,
        cancel_at_period_end boolean NOT NULL DEFAULT false,
        price_id text,
        state_at bigint NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`,
      `CREATE TABLE stripe_events (
        id text PRIMARY KEY,
        type text NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now()
      )`,
      `CREATE TABLE complimentary_access (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users ON DELETE CASCADE,
        until timestamptz NOT NULL,
        reason text NOT NULL,
        granted_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz
      )`,
      'CREATE INDEX complimentary_access_user ON complimentary_access (user_id)',
    ],
  },
];

/** Applies the migrations not yet recorded; an advisory lock keeps two processes from racing. */
export async function migrateAccounts(db: AccountsDb): Promise<void> {
  await db.query(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, description text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())',
  );
  await db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock(727274)');
    const done = new Set(
      (await tx.query<{ version: number }>('SELECT version FROM schema_migrations')).map((r) => r.version),
    );
    for (const migration of MIGRATIONS) {
      if (done.has(migration.version)) continue;
      for (const statement of migration.sql) await tx.query(statement);
      await tx.query('INSERT INTO schema_migrations (version, description) VALUES ($1, $2)', [
        migration.version,
        migration.description,
      ]);
    }
  });
}
