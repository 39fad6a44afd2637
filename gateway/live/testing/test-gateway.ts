import type { AddressInfo } from 'node:net';
import type { Server, ServerResponse } from 'node:http';
import Koa from 'koa';
import { nextBucket } from '../../../lib/query/buckets.js';
import {
  parseSeriesRequest,
  type ColumnarSeries,
  type SeriesRequest,
} from '../../../lib/query/series-request.js';
import { createLiveUpdates, type LiveUpdates, type LiveUpdatesOptions } from '../live-updates.js';

/**
 * A stand-in for the query actor whose answer follows from the request alone: one point per interval
 * (15 minutes at native resolution) or bucket of [from, to), so a test knows exactly what each session gets.
 */
export async function deterministicPoints(request: SeriesRequest): Promise<ColumnarSeries> {
  const t: number[] = [];
  for (let x = request.from; x < request.to;) {
    t.push(x);
    x = request.resolution === 'native' ? x + 900 : nextBucket(x, request.resolution);
  }
  return Promise.resolve({
    dataset: request.dataset,
    area: request.area,
    ...(request.in === undefined ? {} : { in: request.in }),
    resolution: request.resolution,
    unit: 'MW',
    t,
    series: [{ name: request.type ?? 'all', values: t.map((x) => (x / 900) % 1000) }],
  });
}

export interface TestGateway {
  live: LiveUpdates;
  /** Every query the live updates made, in order. */
  calls: SeriesRequest[];
  logs: { level: 'info' | 'warn'; entry: object }[];
  /** Sessions whose `handle` has returned. */
  handled: number;
  /** Per response: the most it held unsent after a write, its largest write, and all it wrote. */
  responses: { maxBuffered: number; maxChunk: number; written: number }[];
  url(query: Record<string, string>): string;
  stop(): Promise<void>;
}

/** Keeps, for one response, what it held unsent after each write: the server's memory for that client. */
function observeWrites(res: ServerResponse): TestGateway['responses'][number] {
  const observed = { maxBuffered: 0, maxChunk: 0, written: 0 };
  const write = res.write.bind(res) as (chunk: string) => boolean;
  res.write = ((chunk: string) => {
    const ok = write(chunk);
    observed.maxBuffered = Math.max(observed.maxBuffered, res.writableLength);
    observed.maxChunk = Math.max(observed.maxChunk, Buffer.byteLength(chunk));
    observed.written += Buffer.byteLength(chunk);
    return ok;
  }) as typeof res.write;
  return observed;
}

/** Live updates behind a real Koa app on a free port, serving `GET /stream?<series request>`. */
export async function startTestGateway(
  options: Omit<LiveUpdatesOptions, 'points'> & { points?: LiveUpdatesOptions['points'] },
): Promise<TestGateway> {
  const calls: SeriesRequest[] = [];
  const logs: TestGateway['logs'] = [];
  const points = options.points ?? deterministicPoints;
  const live = await createLiveUpdates({
    logger: {
      info: (entry) => logs.push({ level: 'info', entry }),
      warn: (entry) => logs.push({ level: 'warn', entry }),
    },
    ...options,
    points: (request) => {
      calls.push(request);
      return points(request);
    },
  });
  const app = new Koa();
  const gateway: TestGateway = {
    live,
    calls,
    logs,
    handled: 0,
    responses: [],
    url: (query) => `http://127.0.0.1:${port}/stream?${new URLSearchParams(query).toString()}`,
    async stop() {
      await live.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
  app.use(async (ctx) => {
    if (ctx.path !== '/stream') return;
    gateway.responses.push(observeWrites(ctx.res));
    await live.handle(ctx, parseSeriesRequest(ctx.query));
    gateway.handled++;
  });
  const server: Server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const port = (server.address() as AddressInfo).port;
  return gateway;
}
