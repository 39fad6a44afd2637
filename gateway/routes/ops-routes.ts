import Router from '@koa/router';
import type { Registry } from 'prom-client';
import { OPENAPI } from '../openapi.js';

export interface OpsRouteOptions {
  registry: Registry;
  ready: () => Promise<Record<string, boolean>>;
}

/** Probes, metrics and the API description; never behind authentication. */
export function opsRoutes(options: OpsRouteOptions): Router {
  const router = new Router();
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
  router.get('/metrics', async (ctx) => {
    ctx.type = options.registry.contentType;
    ctx.body = await options.registry.metrics();
  });
  router.get('/api/v1/openapi.json', (ctx) => {
    ctx.body = OPENAPI;
  });
  return router;
}
