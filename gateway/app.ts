import Koa from 'koa';
import type { Registry } from 'prom-client';
import { jsonErrors } from './http-errors.js';
import type { LiveUpdates } from './live/live-updates.js';
import type { QueryClient } from './query-client.js';
import { requestMetrics } from './request-metrics.js';
import { dataRoutes } from './routes/data-routes.js';
import { opsRoutes } from './routes/ops-routes.js';

export interface GatewayOptions {
  query: QueryClient;
  live?: LiveUpdates;
  registry: Registry;
  ready: () => Promise<Record<string, boolean>>;
  logger: { error(o: object): void };
  authenticate?: Koa.Middleware;
}

/** The Koa application: JSON errors around everything, request metrics, ops routes, data routes. */
export function createGatewayApp(options: GatewayOptions): Koa {
  const app = new Koa();
  // Errors are answered and logged by jsonErrors; Koa's default handler would print a stack per error.
  app.silent = true;
  app.use(jsonErrors(options.logger));
  app.use(requestMetrics(options.registry));
  const ops = opsRoutes({ registry: options.registry, ready: options.ready });
  const data = dataRoutes({
    query: options.query,
    ...(options.live ? { live: options.live } : {}),
    ...(options.authenticate ? { authenticate: options.authenticate } : {}),
  });
  app.use(ops.routes()).use(ops.allowedMethods());
  app.use(data.routes()).use(data.allowedMethods());
  return app;
}
