import type { Readable } from 'node:stream';
import Router from '@koa/router';
import type Koa from 'koa';
import type { DatasetName } from '../../lib/config/env.js';
import { checkSeriesPoints, checkStatsPoints } from '../../lib/query/answer-limits.js';
import {
  parseDataset,
  parseMapCode,
  parseSeriesRequest,
  parseStatsRequest,
} from '../../lib/query/series-request.js';
import type { LiveUpdates, SessionLimit } from '../live/live-updates.js';
import { format, singleValued } from '../query-params.js';
import { requestParams, type QueryClient } from '../query-client.js';
import type { SubscriberLimits } from '../subscriber-limits.js';

export interface DataRouteOptions {
  query: QueryClient;
  live?: LiveUpdates;
  /** Runs before every data route: sign-in and plan checks. */
  authenticate?: Koa.Middleware;
  /** For a live stream: aborts when the subscriber's access ends, so the stream ends with it. */
  watchAccess?: (ctx: Koa.Context) => SessionLimit;
  /** Requests in progress and streams open per subscriber; none without. */
  limits?: SubscriberLimits;
}

/**
 * A HEAD of a series, statistics or the stream is answered with the GET's headers from the request alone:
 * building a series of up to a million values, or statistics, only to drop them would cost the query
 * actor (one query at a time) as much as the GET, and a stream would never end. Checked as for the GET:
 * sign-in, plan, request limit and parameters, and the values of one series against the answer limit.
 */
function headOnly(ctx: Koa.Context): boolean {
  return ctx.method === 'HEAD';
}

/** `/api/v1` data routes: lists, series of each dataset, and the live stream. */
export function dataRoutes(options: DataRouteOptions): Router {
  const router = new Router({ prefix: '/api/v1', sensitive: true });
  const signedIn: Koa.Middleware = options.authenticate ?? ((_ctx, next) => next());
  const limits = options.limits;
  // The subscriber is known once signed in; a stream has a limit of its own, not a request slot.
  const guard: Koa.Middleware = limits
    ? async (ctx, next) => {
        await signedIn(ctx, async () => {
          await limits.request(ctx, next);
        });
      }
    : signedIn;

  router.get('/areas', guard, async (ctx) => {
    const dataset = parseDataset(singleValued(ctx.query).dataset);
    ctx.body = { dataset, areas: await options.query.areas(dataset) };
  });

  router.get('/freshness', guard, async (ctx) => {
    ctx.body = await options.query.freshness(parseDataset(singleValued(ctx.query).dataset));
  });

  router.get('/types', guard, async (ctx) => {
    const area = parseMapCode('area', singleValued(ctx.query).area);
    ctx.body = { area, types: await options.query.types(area) };
  });

  router.get('/borders', guard, async (ctx) => {
    const params = singleValued(ctx.query);
    const area = params.area === undefined ? undefined : parseMapCode('area', params.area);
    ctx.body = { borders: await options.query.borders(area) };
  });

  router.get('/snapshot', guard, async (ctx) => {
    ctx.body = await options.query.snapshot();
  });

  for (const dataset of ['load', 'generation', 'flows'] as const satisfies readonly DatasetName[]) {
    router.get(`/${dataset}`, guard, async (ctx) => {
      const params = singleValued(ctx.query);
      const wanted = format(params);
      const request = parseSeriesRequest(params, dataset);
      let stream: Readable | undefined;
      if (headOnly(ctx)) checkSeriesPoints(request, 1);
      else stream = await options.query.seriesStream({ ...requestParams(request), format: wanted });
      ctx.type = wanted === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8';
      if (wanted === 'csv')
        ctx.attachment(`${dataset}-${request.area}${request.in ? `-${request.in}` : ''}.csv`, {
          type: 'inline',
        });
      if (stream) ctx.body = stream;
      else ctx.status = 200;
    });
  }

  router.get('/stats', guard, async (ctx) => {
    const request = parseStatsRequest(singleValued(ctx.query));
    if (headOnly(ctx)) {
      checkStatsPoints(request, 1);
      ctx.status = 200;
      ctx.type = 'json';
      return;
    }
    // Statistics take no resolution: the parsed request's placeholder is not passed on.
    const params: Record<string, unknown> = requestParams(request);
    delete params.resolution;
    ctx.body = await options.query.stats(params);
  });

  router.get('/stream', signedIn, async (ctx) => {
    const request = parseSeriesRequest(singleValued(ctx.query));
    const live = options.live;
    if (!live) {
      ctx.status = 503;
      ctx.set('Retry-After', '5');
      ctx.body = { error: 'live updates are not running on this gateway' };
      return;
    }
    if (headOnly(ctx)) {
      live.head(ctx);
      return;
    }
    const serve = () => live.handle(ctx, request, options.watchAccess?.(ctx));
    await (limits ? limits.stream(ctx, serve) : serve());
  });

  return router;
}
