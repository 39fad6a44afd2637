import Router from '@koa/router';
import { OPENAPI } from '../openapi.js';

export interface OpsRouteOptions {
  ready: () => Promise<Record<string, boolean>>;
}

/**
 * Probes and the API description; never behind authentication. Metrics are not here: they are the
 * operator's, served on the health port (ENERGYLIVE_HEALTH_PORT) that the public never reaches.
 */
export function opsRoutes(options: OpsRouteOptions): Router {
  const router = new Router({ sensitive: true });
  router.get('/healthz', (ctx) => {
    ctx.body = { status: 'ok' };
  });
  router.get('/readyz', async (ctx) => {
    let checks: Record<string, boolean>;
    try {
      checks = await options.ready();
    } catch {
      checks = { dependencies: false };
    }
    const ok = Object.values(checks).every(Boolean);
    ctx.status = ok ? 200 : 503;
    ctx.body = { status: ok ? 'ready' : 'not ready', checks };
  });
  router.get('/api/v1/openapi.json', (ctx) => {
    ctx.body = OPENAPI;
  });
  return router;
}
