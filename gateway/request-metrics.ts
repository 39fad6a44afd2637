import type Koa from 'koa';
import { Histogram, type Registry } from 'prom-client';

/** Request latency by route and status; the route pattern, not the URL, so labels stay few. */
export function requestMetrics(registry: Registry): Koa.Middleware {
  const latency = new Histogram({
    name: 'energylive_gateway_request_seconds',
    help: 'HTTP request latency of the gateway',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  return async (ctx, next) => {
    const end = latency.startTimer();
    try {
      await next();
    } finally {
      const route = (ctx as Koa.Context & { _matchedRoute?: string })._matchedRoute ?? 'unmatched';
      if (route !== '/api/v1/stream') end({ method: ctx.method, route, status: String(ctx.status) });
    }
  };
}
