import type Router from '@koa/router';
import { expect } from 'chai';
import Koa from 'koa';
import type { Profile } from '../actors/accounts/accounts.service.js';
import type { ApiTokenInfo } from '../lib/accounts/api-tokens.js';
import type { Plan } from '../lib/accounts/plan.js';
import { sessionCookie } from './auth/session-cookie.js';
import { MAX_POINTS, MAX_STATS_POINTS } from '../lib/query/answer-limits.js';
import { OPENAPI } from './openapi.js';
import { authRoutes } from './routes/auth-routes.js';
import { billingRoutes } from './routes/billing-routes.js';
import { dataRoutes } from './routes/data-routes.js';
import { GOOGLE_CONNECT_PATH, GOOGLE_REDIRECT_PATH, mountGoogleSignIn } from './routes/google-routes.js';

interface Operation {
  security?: Record<string, string[]>[];
  parameters?: { name: string; in: string; required?: boolean }[];
  responses: Record<string, unknown>;
}
type Document = {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, { properties?: Record<string, unknown>; required?: string[] }> };
};
const doc = OPENAPI as unknown as Document;

/** `METHOD /path` of every route a router serves, with `:param` written the OpenAPI way. */
function operations(router: Router): string[] {
  return router.stack.flatMap((layer) =>
    layer.methods
      .filter((method) => method !== 'HEAD')
      .map((method) => `${method} ${String(layer.path).replace(/:(\w+)/g, '{$1}')}`),
  );
}

/** The routes "Continue with Google" mounts when configured, the two grant serves among them. */
function googleOperations(): string[] {
  const app = new Koa();
  mountGoogleSignIn(app, {
    google: { clientId: 'client', clientSecret: 'secret', issuer: 'https://accounts.example.com' },
    publicUrl: 'https://energylive.example.com',
    secret: 'oauth-cookie-secret',
    signIn: () => Promise.resolve(),
    logger: { warn: () => undefined },
  });
  const routers = app.middleware
    .map((m) => (m as { router?: Router }).router)
    .filter((r): r is Router => r !== undefined);
  expect(routers).to.have.length(1);
  const ops = operations(routers[0]!);
  expect(ops).to.include.members([`GET ${GOOGLE_CONNECT_PATH}`, `GET ${GOOGLE_REDIRECT_PATH}`]);
  return ops;
}

const unused = {} as never;
const routerOperations = {
  data: operations(dataRoutes({ query: unused })),
  auth: operations(
    authRoutes({ accounts: unused, cookie: sessionCookie('http://localhost:3000'), identities: unused }),
  ),
  billing: operations(billingRoutes({ billing: unused, requireSession: (_ctx, next) => next() })),
  google: googleOperations(),
};

const documented = Object.entries(doc.paths).flatMap(([path, item]) =>
  Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
);

/** Every `$ref` anywhere below `node`. */
function refs(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(refs);
  if (typeof node !== 'object' || node === null) return [];
  return Object.entries(node).flatMap(([key, value]) =>
    key === '$ref' && typeof value === 'string' ? [value] : refs(value),
  );
}

describe('OpenAPI document', () => {
  it('is OpenAPI 3.1', () => {
    expect(OPENAPI.openapi).to.equal('3.1.0');
  });

  for (const [name, ops] of Object.entries(routerOperations)) {
    it(`describes every route of the ${name} router`, () => {
      expect(ops).to.not.be.empty;
      expect(documented).to.include.members(ops);
    });
  }

  it('describes no route that the routers do not serve', () => {
    expect(Object.values(routerOperations).flat()).to.include.members(documented);
  });

  it('resolves every $ref and names only defined security schemes', () => {
    const schemas = doc.components.schemas;
    for (const ref of refs(OPENAPI)) {
      expect(ref).to.match(/^#\/components\/schemas\//);
      expect(schemas, ref).to.have.property(ref.slice('#/components/schemas/'.length));
    }
    expect(OPENAPI.components.securitySchemes).to.have.all.keys('session', 'bearer');
    for (const item of Object.values(doc.paths))
      for (const operation of Object.values(item))
        for (const requirement of operation.security ?? [])
          expect(OPENAPI.components.securitySchemes).to.include.keys(Object.keys(requirement));
  });

  it('declares every path parameter', () => {
    for (const [path, item] of Object.entries(doc.paths)) {
      const names = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      for (const [method, operation] of Object.entries(item)) {
        const declared = (operation.parameters ?? []).filter((p) => p.in === 'path');
        expect(
          declared.map((p) => p.name),
          `${method} ${path}`,
        ).to.deep.equal(names);
        for (const p of declared) expect(p.required, `${method} ${path}`).to.equal(true);
      }
    }
  });

  it('lets a session or an API token read data, and documents the 401 and 402 of each data route', () => {
    for (const op of routerOperations.data) {
      const [method = '', path = ''] = op.split(' ');
      const operation = doc.paths[path]![method.toLowerCase()]!;
      expect(operation.security, op).to.deep.equal([{ session: [] }, { bearer: [] }]);
      expect(operation.responses, op).to.include.keys('200', '400', '401', '402');
    }
  });

  it('documents the limits of every data route: values per answer, requests and streams per subscriber, time', () => {
    for (const op of routerOperations.data) {
      const [method = '', path = ''] = op.split(' ');
      const responses = doc.paths[path]![method.toLowerCase()]!.responses as Record<
        string,
        { description: string; headers?: object }
      >;
      for (const status of ['429', '503'])
        expect(responses[status]?.headers, `${op} ${status}`).to.have.key('Retry-After');
    }
    for (const path of ['/api/v1/load', '/api/v1/generation', '/api/v1/flows']) {
      const responses = doc.paths[path]!.get!.responses as Record<string, { description: string }>;
      expect(responses['400']?.description, path).to.include(MAX_POINTS.toLocaleString('en-US'));
    }
    const stats = doc.paths['/api/v1/stats']!.get!.responses as Record<string, { description: string }>;
    expect(stats['400']?.description).to.include(MAX_STATS_POINTS.toLocaleString('en-US'));
  });

  it('documents the rate limits, the CSRF header and the webhook signature', () => {
    for (const path of ['/api/v1/auth/signup', '/api/v1/auth/login', '/api/v1/auth/reset']) {
      const limited = doc.paths[path]!.post!.responses['429'] as { headers: object };
      expect(limited.headers, path).to.have.key('Retry-After');
    }
    for (const [method, path] of [
      ['post', '/api/v1/auth/logout'],
      ['post', '/api/v1/auth/password'],
      ['post', '/api/v1/tokens'],
      ['delete', '/api/v1/tokens/{id}'],
      ['post', '/api/v1/billing/checkout'],
      ['post', '/api/v1/billing/portal'],
    ] as const) {
      const operation = doc.paths[path]![method]!;
      expect(
        operation.parameters?.map((p) => p.name),
        path,
      ).to.include('X-CSRF-Token');
      expect(operation.responses, path).to.include.keys('403');
    }
    const webhook = doc.paths['/api/v1/billing/webhook']!.post!;
    expect(webhook.security).to.deep.equal([]);
    expect(webhook.parameters?.find((p) => p.name === 'Stripe-Signature')).to.include({
      in: 'header',
      required: true,
    });
  });

  it('documents 413 and 415 on every route that reads a JSON body, and that it takes no other field', () => {
    const jsonRoutes = [
      ...routerOperations.auth.filter((op) => op.startsWith('POST ')),
      'POST /api/v1/billing/checkout',
      'POST /api/v1/billing/portal',
    ];
    for (const op of jsonRoutes) {
      const [method = '', path = ''] = op.split(' ');
      const operation = doc.paths[path]![method.toLowerCase()]! as Operation & {
        requestBody?: { content: { 'application/json': { schema: { additionalProperties?: unknown } } } };
      };
      expect(operation.responses, op).to.include.keys('400', '413', '415');
      expect(operation.requestBody?.content['application/json'].schema.additionalProperties, op).to.equal(
        false,
      );
    }
    const webhook = doc.paths['/api/v1/billing/webhook']!.post!;
    expect(webhook.responses).to.include.keys('400', '413');
  });

  it('keeps the account schemas in step with the types they describe', () => {
    const plan = {
      status: 0,
      entitled: 0,
      paidUntil: 0,
      daysLeft: 0,
      cancelAtPeriodEnd: 0,
      complimentaryUntil: 0,
    } satisfies Record<keyof Plan, 0>;
    const profile = { id: 0, email: 0, signIn: 0, plan: 0 } satisfies Record<keyof Profile, 0>;
    const token = { id: 0, name: 0, prefix: 0, createdAt: 0, lastUsedAt: 0 } satisfies Record<
      keyof ApiTokenInfo,
      0
    >;
    const schemas = doc.components.schemas;
    expect(schemas).to.include.keys('Error', 'Plan', 'Profile', 'ApiToken', 'ApiTokenCreated');
    for (const [name, fields] of [
      ['Plan', plan],
      ['Profile', profile],
      ['ApiToken', token],
    ] as const) {
      expect(Object.keys(schemas[name]!.properties!), name).to.have.members(Object.keys(fields));
      expect(schemas[name]!.required, name).to.have.members(Object.keys(fields));
    }
  });
});
