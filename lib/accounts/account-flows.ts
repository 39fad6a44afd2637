import { clientError } from '../../actors/runtime/client-error.js';
import type { AccountsDb } from './database.js';
import { parseEmail } from './email-address.js';
import {
  createResetLink,
  createSignupLink,
  expireResetLinks,
  findLink,
  linkTokenParam,
  useLink,
} from './email-links.js';
import type { Mailer } from './mailer.js';
import { argon2Passwords, checkPasswordPolicy, passwordParam, type PasswordHashing } from './passwords.js';
import { planOf, type Plan } from './plan.js';
import { clearLimit, hit, isLimited, type RateRule } from './rate-limit.js';
import { activeTokenCount, revokeAllApiTokens, tokenUser } from './api-tokens.js';
import {
  createSession,
  endSession,
  endUserSessions,
  findSession,
  type NewSession,
  type SessionTimeouts,
} from './sessions.js';
import { userByEmail, userById } from './users.js';
import type { GoogleIdentity } from './google-identity.js';
import { userForGoogle } from './google-link.js';

/** Per address: enough for a busy office behind one NAT, far too few to guess passwords. */
export const LOGIN_PER_IP: RateRule = { limit: 50, windowSeconds: 900 };
/** Per account, failures only: counted on the email as typed, so it says nothing about whether it exists. */
export const LOGIN_FAILURES_PER_ACCOUNT: RateRule = { limit: 10, windowSeconds: 900 };
/**
 * Per account, wrong current passwords of a password change: each costs a password hash, like a sign-in,
 * and a session must not guess its account's password. Counted apart from sign-in failures, so a session
 * that guesses does not lock its owner out of signing in.
 */
export const PASSWORD_CHANGE_FAILURES_PER_ACCOUNT: RateRule = { limit: 10, windowSeconds: 900 };
export const SIGNUPS_PER_IP: RateRule = { limit: 20, windowSeconds: 3600 };
export const RESETS_PER_IP: RateRule = { limit: 20, windowSeconds: 3600 };
/** Every confirmation follows a reset request, so as many; a guessed link costs a lookup, never a hash. */
export const RESET_CONFIRMS_PER_IP: RateRule = { limit: 20, windowSeconds: 3600 };
/** Emails to one address per hour, so nobody can use EnergyLive to flood an inbox. */
export const EMAILS_PER_ADDRESS: RateRule = { limit: 3, windowSeconds: 3600 };

export interface SignedIn {
  session: NewSession;
  user: { id: string; email: string };
}

export interface Identity {
  user: { id: string; email: string };
  via: 'session' | 'token';
  /** Only for sessions: what the browser must send back on every state change. */
  csrfToken?: string;
  plan: Plan;
}

export interface AccountFlowsOptions {
  db: AccountsDb;
  mailer: Mailer;
  timeouts: SessionTimeouts;
  publicUrl: string;
  /** Argon2id unless given. */
  passwords?: PasswordHashing;
  /** Where work done after the answer (emails) reports its failures. */
  log: (entry: object) => void;
}

const tooMany = (retryAfter: number) =>
  clientError(429, 'RATE_LIMITED', 'too many attempts; try again later', { retryAfter });

const invalidLink = () =>
  clientError(400, 'INVALID_LINK', 'this link is invalid, used or expired', { parameter: 'token' });

const invalidCredentials = () => clientError(401, 'INVALID_CREDENTIALS', 'wrong email or password');

/** Sign-up, sign-in, sign-out, password change and reset: the rules of own accounts in one place. */
export class AccountFlows {
  private readonly passwords: PasswordHashing;
  /** Work started after answering, so a stop can wait for it. */
  private readonly background = new Set<Promise<void>>();

  constructor(private readonly o: AccountFlowsOptions) {
    this.passwords = o.passwords ?? argon2Passwords;
  }

  private async limit(key: string, rule: RateRule): Promise<void> {
    const decision = await hit(this.o.db, key, rule);
    if (!decision.allowed) throw tooMany(decision.retryAfter);
  }

  /**
   * Runs `work` after the answer has gone: what happens for one address (looking it up, writing a link,
   * talking to the mail server) then cannot make the answer for a known address slower than for an
   * unknown one, nor a mail server's failure show which addresses have accounts.
   */
  private afterAnswer(what: string, work: () => Promise<void>): void {
    const run = new Promise<void>((resolve) => setImmediate(resolve))
      .then(work)
      .catch((err: unknown) => {
        this.o.log({ event: 'account_email_failed', what, error: String(err) });
      })
      .finally(() => this.background.delete(run));
    this.background.add(run);
  }

  /** Resolves once the work started after answering has ended. */
  async settled(): Promise<void> {
    await Promise.all([...this.background]);
  }

  /** Whether this address may get another email now; when not, the email is silently not sent. */
  private async mayEmail(email: string): Promise<boolean> {
    return (await hit(this.o.db, `email:${email.toLowerCase()}`, EMAILS_PER_ADDRESS)).allowed;
  }

  /**
   * Always the same answer: an email goes to the address either way, with a confirmation link for a new
   * one and a "you already have an account" note for a known one, so the answer reveals nothing.
   */
  async signup(params: {
    email: unknown;
    password: unknown;
    ip: string;
  }): Promise<{ status: 'confirmation_sent' }> {
    const email = parseEmail(params.email);
    const password = checkPasswordPolicy(params.password, email);
    await this.limit(`signup-ip:${params.ip}`, SIGNUPS_PER_IP);
    const hash = await this.passwords.hash(password);
    this.afterAnswer('signup', async () => {
      const existing = await userByEmail(this.o.db, email);
      if (!(await this.mayEmail(email))) return;
      if (existing) {
        await this.o.mailer.send({
          to: existing.email,
          subject: 'Your EnergyLive account',
          text:
            'Someone (maybe you) tried to sign up for EnergyLive with this address, which already has an account.\n\n' +
            `Sign in: ${this.o.publicUrl}/signin\nForgot your password? ${this.o.publicUrl}/reset\n`,
        });
      } else {
        const token = await createSignupLink(this.o.db, email, hash);
        await this.o.mailer.send({
          to: email,
          subject: 'Confirm your EnergyLive account',
          text: `Confirm your email address to finish signing up:\n\n${this.o.publicUrl}/confirm?token=${token}\n\nThe link works for 24 hours.\n`,
        });
      }
    });
    return { status: 'confirmation_sent' };
  }

  /** Creates the account a confirmation link stands for (once) and signs its owner in. */
  async confirmSignup(params: { token: unknown }): Promise<SignedIn> {
    const token = linkTokenParam(params.token);
    return this.o.db.transaction(async (tx) => {
      const link = await useLink(tx, token, 'signup');
      if (!link) throw invalidLink();
      // An account made meanwhile (a second link, or Google) belongs to the same verified owner: sign in to it.
      await tx.query(
        'INSERT INTO users (email, password_hash) VALUES ($1, $2) ON CONFLICT ((lower(email))) DO NOTHING',
        [link.email, link.passwordHash],
      );
      const user = await userByEmail(tx, link.email);
      if (!user) throw new Error('confirmed user vanished');
      return {
        session: await createSession(tx, user.id, this.o.timeouts),
        user: { id: user.id, email: user.email },
      };
    });
  }

  async login(params: { email: unknown; password: unknown; ip: string }): Promise<SignedIn> {
    const email = parseEmail(params.email);
    const password = passwordParam(params.password);
    await this.limit(`login-ip:${params.ip}`, LOGIN_PER_IP);
    const accountKey = `login-account:${email.toLowerCase()}`;
    const locked = await isLimited(this.o.db, accountKey, LOGIN_FAILURES_PER_ACCOUNT);
    if (!locked.allowed) throw tooMany(locked.retryAfter);
    const user = await userByEmail(this.o.db, email);
    if (!(await this.passwords.verify(user?.password_hash, password)) || !user) {
      await hit(this.o.db, accountKey, LOGIN_FAILURES_PER_ACCOUNT);
      throw invalidCredentials();
    }
    await clearLimit(this.o.db, accountKey);
    return {
      session: await createSession(this.o.db, user.id, this.o.timeouts),
      user: { id: user.id, email: user.email },
    };
  }

  /** Ends the session; the user it belonged to, or null. */
  async logout(params: { sessionId: string }): Promise<string | null> {
    return endSession(this.o.db, params.sessionId);
  }

  /**
   * Sets a new password, ends every session of the account and starts a fresh one for this browser. API
   * tokens stay, since the owner proved the password and may have scripts running: the answer says how
   * many, so the account page can offer to revoke them.
   */
  async changePassword(params: {
    userId: string;
    current: unknown;
    password: unknown;
  }): Promise<SignedIn & { tokensKept: number }> {
    // Absent is allowed (an account made with Google has no password yet); anything else must be one.
    const current = params.current === undefined ? undefined : passwordParam(params.current, 'current');
    passwordParam(params.password);
    const user = await userById(this.o.db, params.userId);
    if (!user) throw clientError(401, 'UNAUTHENTICATED', 'sign in first');
    const password = checkPasswordPolicy(params.password, user.email);
    // An account made with Google has no password yet; its session is the proof of ownership.
    if (user.password_hash !== null) {
      const failuresKey = `password-change:${user.id}`;
      const locked = await isLimited(this.o.db, failuresKey, PASSWORD_CHANGE_FAILURES_PER_ACCOUNT);
      if (!locked.allowed) throw tooMany(locked.retryAfter);
      if (current === undefined || !(await this.passwords.verify(user.password_hash, current))) {
        await hit(this.o.db, failuresKey, PASSWORD_CHANGE_FAILURES_PER_ACCOUNT);
        throw clientError(403, 'WRONG_PASSWORD', 'the current password is wrong', { parameter: 'current' });
      }
      await clearLimit(this.o.db, failuresKey);
    }
    const hash = await this.passwords.hash(password);
    return this.o.db.transaction(async (tx) => {
      await tx.query('UPDATE users SET password_hash = $2 WHERE id = $1', [user.id, hash]);
      await endUserSessions(tx, user.id);
      return {
        session: await createSession(tx, user.id, this.o.timeouts),
        user: { id: user.id, email: user.email },
        tokensKept: await activeTokenCount(tx, user.id),
      };
    });
  }

  /**
   * Always the same answer, given before the address is even looked up; a link goes out only when the
   * account exists.
   */
  async requestReset(params: { email: unknown; ip: string }): Promise<{ status: 'reset_sent' }> {
    const email = parseEmail(params.email);
    await this.limit(`reset-ip:${params.ip}`, RESETS_PER_IP);
    this.afterAnswer('reset', async () => {
      const user = await userByEmail(this.o.db, email);
      // Counted for unknown addresses too, so the work left running differs as little as it can.
      if (!(await this.mayEmail(email)) || !user) return;
      const token = await createResetLink(this.o.db, user.id, user.email);
      await this.o.mailer.send({
        to: user.email,
        subject: 'Reset your EnergyLive password',
        text: `Choose a new password:\n\n${this.o.publicUrl}/reset?token=${token}\n\nThe link works for one hour. If you did not ask for it, ignore this email.\n`,
      });
    });
    return { status: 'reset_sent' };
  }

  /**
   * Sets the password a reset link was sent for. The link is looked up before the password is hashed, so
   * a made-up or used link costs one indexed query, not 25 ms of Argon2; it is spent only in the
   * transaction that sets the password, so a refused password leaves it usable.
   */
  async confirmReset(params: { token: unknown; password: unknown; ip: string }): Promise<SignedIn> {
    const token = linkTokenParam(params.token);
    passwordParam(params.password);
    await this.limit(`reset-confirm-ip:${params.ip}`, RESET_CONFIRMS_PER_IP);
    const pending = await findLink(this.o.db, token, 'reset');
    const owner = pending?.userId ? await userById(this.o.db, pending.userId) : null;
    if (!owner) throw invalidLink();
    const password = checkPasswordPolicy(params.password, owner.email);
    const hash = await this.passwords.hash(password);
    return this.o.db.transaction(async (tx) => {
      const link = await useLink(tx, token, 'reset');
      const user = link?.userId ? await userById(tx, link.userId) : null;
      if (!user) throw invalidLink();
      await tx.query('UPDATE users SET password_hash = $2 WHERE id = $1', [user.id, hash]);
      await expireResetLinks(tx, user.id);
      // Whoever reset the password may not be whoever made the tokens (that is why it was reset).
      await endUserSessions(tx, user.id);
      await revokeAllApiTokens(tx, user.id);
      return {
        session: await createSession(tx, user.id, this.o.timeouts),
        user: { id: user.id, email: user.email },
      };
    });
  }

  /** Who a session cookie or bearer token belongs to, and their plan; null when neither is valid. */
  async identify(params: { sessionId?: string; token?: string }): Promise<Identity | null> {
    if (params.token !== undefined) {
      const owner = await tokenUser(this.o.db, params.token);
      if (!owner) return null;
      return {
        user: { id: owner.userId, email: owner.email },
        via: 'token',
        plan: await planOf(this.o.db, owner.userId),
      };
    }
    if (params.sessionId === undefined) return null;
    const session = await findSession(this.o.db, params.sessionId, this.o.timeouts);
    if (!session) return null;
    return {
      user: { id: session.userId, email: session.email },
      via: 'session',
      csrfToken: session.csrfToken,
      plan: await planOf(this.o.db, session.userId),
    };
  }

  /**
   * Signs in the account of a Google identity the gateway has verified, linking or creating it. Linking
   * Google to an existing (password) account is told to the account's owner: from now on someone else's
   * Google login with that address would open it too. The note is sent before the sign-in completes, but
   * a mail server's failure does not stop the sign-in.
   */
  async googleSignIn(identity: GoogleIdentity): Promise<SignedIn> {
    const { linked, ...user } = await userForGoogle(this.o.db, identity);
    if (linked)
      await this.o.mailer
        .send({
          to: user.email,
          subject: 'Google sign-in was added to your EnergyLive account',
          text:
            `The Google account ${identity.email} can now sign in to your EnergyLive account ${user.email}.\n\n` +
            `If this was not you, reset your password at ${this.o.publicUrl}/reset (this also ends every session and API token) and secure that Google account.\n`,
        })
        .catch((err: unknown) => {
          this.o.log({ event: 'account_email_failed', what: 'google-link', error: String(err) });
        });
    return { session: await createSession(this.o.db, user.id, this.o.timeouts), user };
  }
}
