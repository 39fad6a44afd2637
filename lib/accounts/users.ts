import type { Sql } from './database.js';

export interface UserRow {
  id: string;
  email: string;
  password_hash: string | null;
  google_sub: string | null;
  created_at: Date;
}

export async function userByEmail(sql: Sql, email: string): Promise<UserRow | null> {
  const [row] = await sql.query<UserRow>(
    'SELECT id, email, password_hash, google_sub, created_at FROM users WHERE lower(email) = lower($1)',
    [email],
  );
  return row ?? null;
}

export async function userById(sql: Sql, id: string): Promise<UserRow | null> {
  const [row] = await sql.query<UserRow>(
    'SELECT id, email, password_hash, google_sub, created_at FROM users WHERE id = $1',
    [id],
  );
  return row ?? null;
}
