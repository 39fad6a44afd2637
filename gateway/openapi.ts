import { PRODUCTION_TYPES } from '../lib/entsoe/codes.js';
import { RESOLUTIONS } from '../lib/query/buckets.js';
import { loadConfig } from '../lib/config/env.js';
import { MAX_POINTS, MAX_STATS_POINTS } from '../lib/query/answer-limits.js';
import {
  ACCOUNT_PATHS,
  ACCOUNT_SCHEMAS,
  failure,
  paymentRequired,
  SECURITY_SCHEMES,
  SIGNED_IN,
  unauthenticated,
} from './openapi-accounts.js';

const time = (description: string) => ({
  type: 'string',
  description: `${description}; ISO 8601, a bare date means 00:00 UTC; from 1970-01-01 to 2106-01-01 (a weekly rollup from 1970-01-05)`,
  example: '2022-01-01',
});
const mapCode = (description: string) => ({
  type: 'string',
  pattern: '^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$',
  description,
  example: 'DE',
});
const param = (name: string, schema: object, required = false, description?: string) => ({
  name,
  in: 'query',
  required,
  schema,
  ...(description ? { description } : {}),
});

const range = [param('from', time('start, inclusive'), true), param('to', time('end, exclusive'), true)];
const resolution = param(
  'resolution',
  { type: 'string', enum: RESOLUTIONS, default: 'native' },
  false,
  'native, or the time-weighted mean power per bucket; P1W weeks start on Monday',
);
const format = param('format', { type: 'string', enum: ['json', 'csv'], default: 'json' });
const type = param(
  'type',
  { type: 'string', enum: [...PRODUCTION_TYPES] },
  false,
  'one production type; without it every type of the area',
);

const columnar = {
  type: 'object',
  required: ['dataset', 'area', 'resolution', 'unit', 't', 'series'],
  properties: {
    dataset: { type: 'string', enum: ['load', 'generation', 'flows'] },
    area: { type: 'string' },
    in: { type: 'string' },
    resolution: { type: 'string', enum: RESOLUTIONS },
    unit: { type: 'string', enum: ['MW'] },
    t: {
      type: 'array',
      items: { type: 'integer' },
      description: 'interval or bucket starts, epoch seconds UTC',
    },
    series: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          name: { type: 'string' },
          values: { type: 'array', items: { type: ['number', 'null'] } },
        },
      },
    },
  },
};

const count = (n: number) => n.toLocaleString('en-US');
const defaults = loadConfig({});
const retryAfter = {
  'Retry-After': {
    description: 'Seconds to wait before trying again',
    schema: { type: 'integer', minimum: 1 },
  },
};
const BAD_PARAMETER = 'A bad parameter, named in `parameter`';
const SERIES_LIMIT = `${BAD_PARAMETER}. An answer holds at most ${count(MAX_POINTS)} values (series × buckets; at native resolution series × quarter-hours of the range): a larger one is refused naming \`resolution\` when a coarser one would fit, else \`to\``;
const STATS_LIMIT = `${BAD_PARAMETER}. Statistics read at most ${count(MAX_STATS_POINTS)} stored values (series × quarter-hours of the range): more is refused naming \`to\``;

/**
 * What every data route may answer besides 200: a bad parameter, no sign-in, no running plan, too much at
 * once from one subscriber, a query out of time.
 */
const refusals = (bad = BAD_PARAMETER) => ({
  400: failure(bad),
  401: unauthenticated,
  402: paymentRequired,
  429: {
    ...failure(
      `TOO_MANY_REQUESTS: this subscriber (the user, whatever session or token) has ${String(defaults.gateway.maxRequestsPerSubscriber)} data requests in progress on this gateway already (ENERGYLIVE_MAX_REQUESTS_PER_SUBSCRIBER); TOO_MANY_STREAMS on /stream: ${String(defaults.gateway.maxStreamsPerSubscriber)} streams open (ENERGYLIVE_MAX_STREAMS_PER_SUBSCRIBER)`,
    ),
    headers: retryAfter,
  },
  503: {
    ...failure(
      `QUERY_TIMEOUT: the query ran into its time limit (${String(defaults.query.timeoutMs / 1000)} s, ENERGYLIVE_QUERY_TIMEOUT_SECONDS); or the query service did not answer in time (ENERGYLIVE_QUERY_CALL_TIMEOUT_SECONDS) or is not running`,
    ),
    headers: retryAfter,
  },
});
const responses = (ok: object, csv = false, bad?: string) => ({
  200: {
    description: 'OK',
    content: {
      'application/json': { schema: ok },
      ...(csv ? { 'text/csv': { schema: { type: 'string' } } } : {}),
    },
  },
  ...refusals(bad),
});

/** The gateway's API as an OpenAPI 3.1 document, served at /api/v1/openapi.json. */
export const OPENAPI = {
  openapi: '3.1.0',
  info: {
    title: 'EnergyLive API',
    version: '1',
    description:
      'European electricity load, generation and cross-border flows from the ENTSO-E Transparency Platform. All values are average power in MW over the interval; times are UTC; ranges are half-open [from, to).\n\n' +
      'Reading data needs a signed-in browser session or a personal API token (`Authorization: Bearer elk_…`), and a running plan: 401 without either, 402 without a plan. ' +
      "State-changing requests (POST, DELETE) from a browser must come from EnergyLive's own origin (Origin, or Sec-Fetch-Site same-origin), and those with a session cookie must send the session's CSRF token in `X-CSRF-Token`; otherwise 403 CSRF. Requests with a Bearer token need neither, and Stripe's webhook is exempt. " +
      'Sign-up, sign-in and password resets are rate-limited per client address, and failed sign-ins per account: 429 RATE_LIMITED with a Retry-After header. ' +
      'Data requests are limited per subscriber: requests in progress and open streams (429 with Retry-After), the values one answer holds (400 naming `resolution` or `to`), and the time one query may run (503 QUERY_TIMEOUT with Retry-After). ' +
      'Errors are JSON: `{error, code, ...}`, with `parameter` naming a bad parameter or field; a request that is not valid HTTP/1.1 too, with `Connection: close`: 431 HEADERS_TOO_LARGE (request line and headers over 16 KiB), 400 MALFORMED_REQUEST, 417 EXPECTATION_FAILED (an Expect other than 100-continue). ' +
      "Every GET route answers HEAD with the GET's headers and no body; on the series routes, /stats and /stream without running the query or opening the stream: sign-in, plan and parameters are checked as for the GET, and a series's size as far as the request tells (a GET of every type or border may still be refused for its size).",
  },
  components: { securitySchemes: SECURITY_SCHEMES, schemas: ACCOUNT_SCHEMAS },
  paths: {
    '/api/v1/areas': {
      get: {
        summary: 'Areas with data in a dataset',
        security: SIGNED_IN,
        parameters: [param('dataset', { type: 'string', enum: ['load', 'generation', 'flows'] }, true)],
        responses: responses({ type: 'object' }),
      },
    },
    '/api/v1/freshness': {
      get: {
        summary: 'How current a dataset is: its last import and, per area, the newest interval and update',
        security: SIGNED_IN,
        parameters: [param('dataset', { type: 'string', enum: ['load', 'generation', 'flows'] }, true)],
        responses: responses({ type: 'object' }),
      },
    },
    '/api/v1/types': {
      get: {
        summary: 'Production types with generation data in an area',
        security: SIGNED_IN,
        parameters: [param('area', mapCode('MapCode'), true)],
        responses: responses({ type: 'object' }),
      },
    },
    '/api/v1/borders': {
      get: {
        summary: 'Borders with flow data',
        security: SIGNED_IN,
        parameters: [param('area', mapCode('only borders of this area'))],
        responses: responses({ type: 'object' }),
      },
    },
    '/api/v1/snapshot': {
      get: {
        summary: 'Every country now, for a map',
        description:
          "Each country's newest load (MW), renewable share of its newest generation (0..1), net import over all borders (MW, negative = export) and the net flow over each border, within the last two days of each dataset.",
        security: SIGNED_IN,
        responses: responses({ type: 'object' }),
      },
    },
    '/api/v1/load': {
      get: {
        summary: 'Actual total load of an area',
        security: SIGNED_IN,
        parameters: [param('area', mapCode('MapCode'), true), ...range, resolution, format],
        responses: responses(columnar, true, SERIES_LIMIT),
      },
    },
    '/api/v1/generation': {
      get: {
        summary: 'Generation per production type of an area',
        security: SIGNED_IN,
        parameters: [param('area', mapCode('MapCode'), true), type, ...range, resolution, format],
        responses: responses(columnar, true, SERIES_LIMIT),
      },
    },
    '/api/v1/flows': {
      get: {
        summary: 'Physical flow from one area into another, or over every border of an area',
        description:
          'With `out` and `in`: the flow from `out` into `in`. With `area` (or `out`) alone: every border of the area in both directions, one series per direction named `out→in`.',
        security: SIGNED_IN,
        parameters: [
          param('out', mapCode('area the flow leaves')),
          param('area', mapCode('the area whose borders are wanted, when `in` is not given')),
          param('in', mapCode('area the flow enters; absent: every border of the area, both directions')),
          ...range,
          resolution,
          format,
        ],
        responses: responses(columnar, true, SERIES_LIMIT),
      },
    },
    '/api/v1/stats': {
      get: {
        summary:
          'Statistics over a range: min and max with times, time-weighted mean, p5/p50/p95, energy (MWh), hourly profile; shares of production types; net import balance over all borders',
        security: SIGNED_IN,
        parameters: [
          param('dataset', { type: 'string', enum: ['load', 'generation', 'flows'] }, true),
          param('area', mapCode('MapCode (flows: the out area)'), true),
          type,
          param('in', mapCode('flows: one direction only')),
          ...range,
        ],
        responses: responses({ type: 'object' }, false, STATS_LIMIT),
      },
    },
    '/api/v1/stream': {
      get: {
        summary:
          'Server-Sent Events: `ready`, then `update` events with the changed points of the range at its resolution; resume with Last-Event-ID. When access ends (the plan runs out, the session ends or the token is revoked) an `end` event with `{reason}` closes the stream; reconnecting then answers 401 or 402',
        security: SIGNED_IN,
        parameters: [
          param('dataset', { type: 'string', enum: ['load', 'generation', 'flows'] }, true),
          param('area', mapCode('MapCode (flows: the out area)'), true),
          type,
          param('in', mapCode('flows: the in area')),
          ...range,
          resolution,
        ],
        responses: {
          200: {
            description:
              'An event stream. `ready` (data `{resumed}`) first; `update` (data: the changed points of the range, columnar) after each import that touches it; `end` (data `{reason: "plan_expired" | "signed_out"}`) when access ends, and the stream closes',
            content: { 'text/event-stream': { schema: { type: 'string' } } },
          },
          ...refusals(),
          503: {
            ...failure('Live updates are not running on this gateway'),
            headers: retryAfter,
          },
        },
      },
    },
    ...ACCOUNT_PATHS,
  },
};
