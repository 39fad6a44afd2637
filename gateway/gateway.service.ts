import type http from 'node:http';
import type { Context, Service, ServiceSchema } from 'moleculer';
import { ACCOUNT_CHANGED, type AccountChanged } from '../actors/accounts/account-changed.js';
import { IdentityCache } from './auth/identity-cache.js';
import { createHttpServer } from '../lib/net/http-server.js';
import { listen } from '../lib/net/listen.js';
import type { ProcessContext } from '../actors/runtime/process-context.js';
import { createGatewayApp } from './app.js';
import { createLiveUpdates, type LiveUpdates } from './live/live-updates.js';
import { brokerQueryClient } from './query-client.js';
import { brokerAccountsClient } from './accounts-client.js';
import { brokerBillingClient } from './billing-client.js';
import { resolveSecret } from '../lib/config/secret.js';
import { brokerConnections, natsAnswers, Readiness } from '../actors/runtime/readiness.js';

interface GatewayState {
  server?: http.Server;
  live?: LiveUpdates;
  identities?: IdentityCache;
}

/**
 * The Koa gateway as a Moleculer service: it answers HTTP on its own port, reaches the query actor over
 * the broker (in this process or any other) and relays "import done" events to matching SSE sessions.
 */
export function gatewayService(ctx: ProcessContext): ServiceSchema {
  const state: GatewayState = {};
  return {
    name: 'gateway',
    events: {
      /** Whatever changed for this user (sign-out, plan, tokens) holds from their next request here. */
      [ACCOUNT_CHANGED]: {
        // Moleculer passes the payload alone unless told to pass the context.
        context: true,
        handler(eventCtx: Context<AccountChanged>) {
          state.identities?.forgetUser(eventCtx.params.userId);
        },
      },
    },
    async started(this: Service) {
      const logger = this.logger;
      const broker = this.broker;
      const nc = await ctx.nats();
      const query = brokerQueryClient(broker, { timeoutMs: ctx.config.query.callTimeoutMs });
      const accounts = brokerAccountsClient(broker);
      state.identities = new IdentityCache(accounts);
      const available = (name: string) =>
        broker.registry
          .getServiceList({ onlyAvailable: true })
          .some((s: { name: string }) => s.name === name);
      state.live = await createLiveUpdates({
        nc,
        points: (request) => query.series(request),
        registry: ctx.metrics.registry,
        logger: {
          info: (o) => {
            logger.info(o);
          },
          warn: (o) => {
            logger.warn(o);
          },
        },
      });
      // NATS twice: live updates come over the process's connection, queries over the broker's.
      const readiness = new Readiness({
        nats: () => natsAnswers(nc),
        transporter: () => natsAnswers(brokerConnections(broker).transporter),
        query: () => available('query'),
        accounts: () => available('accounts'),
      });
      const app = createGatewayApp({
        query,
        auth: {
          accounts,
          identities: state.identities,
          billing: brokerBillingClient(broker),
          publicUrl: ctx.config.accounts.publicUrl,
          accessRecheckMs: ctx.config.gateway.accessRecheckMs,
          google: ctx.config.google,
          secret: resolveSecret(ctx.config.accounts.secret, ctx.config.dataDir),
        },
        trustProxy: ctx.config.gateway.trustProxy,
        limits: {
          maxRequests: ctx.config.gateway.maxRequestsPerSubscriber,
          maxStreams: ctx.config.gateway.maxStreamsPerSubscriber,
        },
        publicUrl: ctx.config.accounts.publicUrl,
        live: state.live,
        registry: ctx.metrics.registry,
        logger: {
          error: (o) => {
            logger.error(o);
          },
          warn: (o) => {
            logger.warn(o);
          },
        },
        ready: () => readiness.run(),
      });
      const handle = app.callback();
      state.server = createHttpServer((req, res) => {
        void handle(req, res);
      });
      // SSE sessions stay open for hours; only idle sockets without a request time out.
      state.server.requestTimeout = 0;
      const { port } = await listen(state.server, ctx.config.gateway.port, ctx.config.gateway.host);
      logger.info({ event: 'gateway_listening', port });
    },
    async stopped() {
      await state.live?.close();
      const server = state.server;
      if (server) {
        await new Promise<void>((resolve) => {
          server.close(() => {
            resolve();
          });
          server.closeAllConnections();
        });
      }
    },
  };
}
