import type { Context, Service, ServiceSchema } from 'moleculer';
import { AccountFlows, type Identity, type SignedIn } from '../../lib/accounts/account-flows.js';
import {
  createApiToken,
  listApiTokens,
  revokeAllApiTokens,
  revokeApiToken,
  type ApiTokenInfo,
} from '../../lib/accounts/api-tokens.js';
import {
  grantAccess,
  listAccounts,
  revokeAccess,
  type AccountSummary,
} from '../../lib/accounts/complimentary-access.js';
import { deleteOldLinks } from '../../lib/accounts/email-links.js';
import { createMailer, type Mailer } from '../../lib/accounts/mailer.js';
import { planOf, type Plan } from '../../lib/accounts/plan.js';
import { clientAddress, deleteEndedWindows } from '../../lib/accounts/rate-limit.js';
import { deleteExpiredSessions, type SessionTimeouts } from '../../lib/accounts/sessions.js';
import { userByEmail, userById } from '../../lib/accounts/users.js';
import { announceAccountChange } from './account-changed.js';
import { clientError } from '../runtime/client-error.js';
import type { ProcessContext } from '../runtime/process-context.js';
import type { Profile } from '../../lib/api/json-shapes.js';
export type { Profile };

const CLEANUP_EVERY_MS = 3600_000;

type Params = Record<string, unknown>;

const str = (value: unknown): string => (typeof value === 'string' ? value : '');

/**
 * Accounts actor: own accounts, sessions, API tokens and plans, on PostgreSQL (or PGlite). The gateway
 * asks it who a request is; the operator CLI manages complimentary access through it.
 */
export function accountsService(ctx: ProcessContext, options: { mailer?: Mailer } = {}): ServiceSchema {
  const timeouts: SessionTimeouts = {
    idleMs: ctx.config.accounts.sessionIdleMs,
    maxMs: ctx.config.accounts.sessionMaxMs,
  };
  let flows: Promise<AccountFlows> | undefined;
  let cleanup: NodeJS.Timeout | undefined;
  const db = () => ctx.accountsDb();
  return {
    name: 'accounts',
    async started(this: Service) {
      const logger = this.logger;
      const mailer =
        options.mailer ??
        createMailer(
          { smtpUrl: ctx.config.accounts.smtpUrl, from: ctx.config.accounts.emailFrom },
          (entry) => {
            logger.info(entry);
          },
        );
      flows = (async () =>
        new AccountFlows({
          db: await db(),
          mailer,
          timeouts,
          publicUrl: ctx.config.accounts.publicUrl,
          log: (entry) => {
            logger.warn(entry);
          },
        }))();
      await flows;
      cleanup = setInterval(() => {
        void (async () => {
          const sql = await db();
          await deleteExpiredSessions(sql, timeouts);
          await deleteEndedWindows(sql);
          await deleteOldLinks(sql);
        })().catch((err: unknown) => {
          logger.warn({ event: 'accounts_cleanup_failed', error: String(err) });
        });
      }, CLEANUP_EVERY_MS);
      cleanup.unref();
    },
    async stopped() {
      clearInterval(cleanup);
      // Emails of requests already answered still go out.
      await flows?.then(
        (f) => f.settled(),
        () => undefined,
      );
    },
    actions: {
      signup: (c: Context<Params>) =>
        flowsOf().then((f) =>
          f.signup({ email: c.params.email, password: c.params.password, ip: clientAddress(c.params.ip) }),
        ),
      confirmSignup: (c: Context<Params>): Promise<SignedIn> =>
        flowsOf().then((f) => f.confirmSignup({ token: c.params.token })),
      login: (c: Context<Params>): Promise<SignedIn> =>
        flowsOf().then((f) =>
          f.login({ email: c.params.email, password: c.params.password, ip: clientAddress(c.params.ip) }),
        ),
      logout: async (c: Context<Params>) => {
        const userId = await (await flowsOf()).logout({ sessionId: str(c.params.sessionId) });
        if (userId) await announceAccountChange(c.broker, userId);
        return { status: 'signed_out' };
      },
      changePassword: async (c: Context<Params>): Promise<SignedIn & { tokensKept: number }> => {
        const signedIn = await (
          await flowsOf()
        ).changePassword({
          userId: str(c.params.userId),
          current: c.params.current,
          password: c.params.password,
        });
        await announceAccountChange(c.broker, signedIn.user.id);
        return signedIn;
      },
      requestReset: (c: Context<Params>) =>
        flowsOf().then((f) => f.requestReset({ email: c.params.email, ip: clientAddress(c.params.ip) })),
      confirmReset: async (c: Context<Params>): Promise<SignedIn> => {
        const signedIn = await (
          await flowsOf()
        ).confirmReset({
          token: c.params.token,
          password: c.params.password,
          ip: clientAddress(c.params.ip),
        });
        await announceAccountChange(c.broker, signedIn.user.id);
        return signedIn;
      },
      /** Signs in the account of a Google identity the gateway has verified, linking or creating it. */
      googleSignIn: (c: Context<Params>): Promise<SignedIn> =>
        flowsOf().then((f) =>
          f.googleSignIn({
            sub: str(c.params.sub),
            email: str(c.params.email),
            emailVerified: c.params.emailVerified === true,
          }),
        ),
      /** Who a session cookie or an API token is; null when neither is valid. */
      identify: (c: Context<Params>): Promise<Identity | null> =>
        flowsOf().then((f) =>
          f.identify({
            ...(typeof c.params.sessionId === 'string' ? { sessionId: c.params.sessionId } : {}),
            ...(typeof c.params.token === 'string' ? { token: c.params.token } : {}),
          }),
        ),
      me: async (c: Context<Params>): Promise<Profile> => {
        const sql = await db();
        const user = await userById(sql, str(c.params.userId));
        if (!user) throw clientError(401, 'UNAUTHENTICATED', 'sign in first');
        return {
          id: user.id,
          email: user.email,
          signIn: [...(user.password_hash ? ['password'] : []), ...(user.google_sub ? ['google'] : [])],
          plan: await planOf(sql, user.id),
        };
      },
      createToken: async (c: Context<Params>) =>
        createApiToken(await db(), str(c.params.userId), c.params.name),
      listTokens: async (c: Context<Params>): Promise<ApiTokenInfo[]> =>
        listApiTokens(await db(), str(c.params.userId)),
      revokeToken: async (c: Context<Params>) => {
        await revokeApiToken(await db(), str(c.params.userId), c.params.id);
        await announceAccountChange(c.broker, str(c.params.userId));
        return { status: 'revoked' };
      },
      /** Every active token of the account, as after a password change the owner may want. */
      revokeAllTokens: async (c: Context<Params>) => {
        const revoked = await revokeAllApiTokens(await db(), str(c.params.userId));
        await announceAccountChange(c.broker, str(c.params.userId));
        return { status: 'revoked', revoked };
      },
      list: async (): Promise<AccountSummary[]> => listAccounts(await db()),
      grant: async (c: Context<Params>): Promise<Plan> => {
        const sql = await db();
        const plan = await grantAccess(
          sql,
          c.params.email,
          Number(c.params.days),
          c.params.reason ?? 'complimentary',
        );
        await announceChangeOf(c, str(c.params.email));
        return plan;
      },
      revoke: async (c: Context<Params>): Promise<Plan> => {
        const plan = await revokeAccess(await db(), c.params.email);
        await announceChangeOf(c, str(c.params.email));
        return plan;
      },
    },
  };

  async function announceChangeOf(c: Context, email: string): Promise<void> {
    const user = await userByEmail(await db(), email);
    if (user) await announceAccountChange(c.broker, user.id);
  }

  function flowsOf(): Promise<AccountFlows> {
    if (!flows) throw clientError(503, 'STARTING', 'the accounts service is starting');
    return flows;
  }
}
