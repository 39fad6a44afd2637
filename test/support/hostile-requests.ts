import { gzipSync } from 'node:zlib';
import Stripe from 'stripe';
import {
  HOSTILE_ENCODED,
  HOSTILE_TEXTS,
  HOSTILE_TIMES,
  INJECTIONS,
  WRONG_TYPES,
  type HostileText,
} from './hostile-values.js';
import { methodsOf, operationsOf, type OpenApiDocument, type Operation } from './openapi-operations.js';
import { requestHead, type RawBody, type RawRequest } from './raw-http.js';
import { SeededRandom } from './seeded-random.js';

/** Who sends a case: nobody, the subscriber's browser (cookie, CSRF token, own Origin) or their API token. */
export type Identity = 'anonymous' | 'session' | 'token';

/** A refusal the case must get, with the issue item that asks for it. */
export interface Expectation {
  statuses: readonly number[];
  item: string;
  why: string;
}

export interface HostileCase {
  id: number;
  family: string;
  /** The documented operation aimed at, `METHOD /path/{template}`. */
  operation: string;
  /** What this case varies, for people. */
  label: string;
  identity: Identity;
  /**
   * Cases that may end the credentials they are sent with (sign-out, revoking one or every API token):
   * sent as a throw-away subscriber, so the sweep's own session and token keep working for the others.
   */
  scratch?: boolean;
  method: string;
  target: Buffer;
  headers: [string, string | Buffer][];
  /** Identity or framing headers this case sets itself (lower case): the defaults are left out. */
  replaces?: string[];
  body?: RawBody;
  chunked?: boolean;
  /** Declared Content-Length; omitted by default for chunked bodies and bodiless requests. */
  contentLength?: string;
  /** What the case sent that an answer may legitimately echo (stripped before looking for leaks). */
  sent: string[];
  expect?: Expectation;
  /** A refusal that says so must arrive before the whole body was sent: the server did not read it. */
  refuseUnread?: boolean;
  /** Sent one after another with the other cases of its burst, not in parallel. */
  burst?: string;
}

export interface Credentials {
  host: string;
  publicUrl: string;
  cookie: string;
  csrfToken: string;
  token: string;
  webhookSecret: string;
}

const SERIES_OPERATIONS = [
  '/api/v1/load',
  '/api/v1/generation',
  '/api/v1/flows',
  '/api/v1/stats',
  '/api/v1/stream',
];
/** Routes that hash or verify a password on (nearly) every request. */
const PASSWORD_ROUTES = [
  '/api/v1/auth/signup',
  '/api/v1/auth/login',
  '/api/v1/auth/password',
  '/api/v1/auth/reset/confirm',
];
/** Routes that change an account or a subscription: a browser session only (issue 11, item 6). */
const SESSION_ONLY_PATHS = [
  '/api/v1/billing/checkout',
  '/api/v1/billing/portal',
  '/api/v1/auth/password',
  '/api/v1/auth/logout',
  '/api/v1/tokens',
  '/api/v1/tokens/{id}',
];
/**
 * Operations that end or hold up the credentials of whoever sends them: sign-out, a password change
 * (ends the other sessions; wrong current passwords are counted per account), and revoking tokens (a
 * malformed id may reach `DELETE /api/v1/tokens`, which revokes them all).
 */
const ENDS_CREDENTIALS = [
  'POST /api/v1/auth/logout',
  'POST /api/v1/auth/password',
  'DELETE /api/v1/tokens',
  'DELETE /api/v1/tokens/{id}',
];
/** Times outside DateTime's span [1970-01-01, 2106-02-07T06:28:15Z]; a bare date means 00:00 UTC. */
const UNSTORABLE = new Set([
  '1969-12-31',
  '1969-12-31T23:59:59Z',
  '1900-01-01',
  '0000-01-01',
  '2106-02-08',
  '2107-01-01',
  '9999-12-31',
  '+275760-09-13',
]);
const TOKEN_ID = '3f0c2a8e-7d1b-4c5e-9a6f-0b1c2d3e4f50';
const UNRESERVED = /[A-Za-z0-9\-._~]/;
const METHODS = [
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'PATCH',
  'DELETE',
  'OPTIONS',
  'TRACE',
  'PROPFIND',
  'MKCOL',
  'LOCK',
  'SEARCH',
];

/** Percent-encodes every byte of the text's UTF-8 that is not unreserved, lone surrogates included. */
export function pct(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const ch = String.fromCharCode(byte);
    out += byte < 0x80 && UNRESERVED.test(ch) ? ch : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

function baselineValue(op: Operation, name: string): string | undefined {
  switch (name) {
    case 'from':
      return '2022-01-01';
    case 'to':
      return '2022-01-02';
    case 'area':
      return op.path === '/api/v1/flows' ? undefined : 'DE';
    case 'out':
      return 'DE';
    case 'in':
      return op.path === '/api/v1/flows' ? 'FR' : undefined;
    case 'dataset':
      return 'load';
    default:
      return undefined;
  }
}

/** The query of a valid request: required parameters and the few optional ones a real client sends. */
function baselineQuery(op: Operation): [string, string][] {
  const out: [string, string][] = [];
  for (const p of op.params) {
    if (p.in !== 'query') continue;
    const value = baselineValue(op, p.name);
    if (value !== undefined) out.push([p.name, value]);
    else if (p.required) {
      const example = p.schema.example ?? p.schema.enum?.[0];
      out.push([p.name, typeof example === 'string' ? example : 'x']);
    }
  }
  return out;
}

function fieldBaseline(name: string, unique: number): unknown {
  switch (name) {
    case 'email':
      return `sweep-${unique}@example.com`;
    case 'password':
      return 'a long sweep passphrase';
    case 'current':
      return 'not the current password';
    case 'token':
      return 'x'.repeat(43);
    case 'name':
      return 'sweep';
    default:
      return 'x';
  }
}

function baselineBody(op: Operation, unique: number): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const name of Object.keys(op.body?.properties ?? {})) body[name] = fieldBaseline(name, unique);
  return body;
}

function pathOf(op: Operation): string {
  return op.path.replace('{id}', TOKEN_ID);
}

function queryString(pairs: readonly (readonly [string, string])[]): string {
  return pairs.map(([k, v]) => `${k}=${v}`).join('&');
}

function target(path: string, query: string): Buffer {
  return Buffer.from(query === '' ? path : `${path}?${query}`, 'latin1');
}

const JSON_TYPE: [string, string] = ['Content-Type', 'application/json'];

/** Builds every case from the OpenAPI document, deterministically for a seed. */
export class HostileCaseBuilder {
  readonly cases: HostileCase[] = [];
  private readonly random: SeededRandom;
  private readonly operations: Operation[];

  constructor(
    private readonly doc: OpenApiDocument,
    seed: number,
    private readonly webhookSecret: string,
  ) {
    this.random = new SeededRandom(seed, 'hostile-requests');
    this.operations = operationsOf(doc);
  }

  build(): HostileCase[] {
    for (const op of this.operations) {
      this.queryValues(op);
      this.queryStructure(op);
      this.paths(op);
      this.headers(op);
      this.bodies(op);
      this.hugeBodies(op);
      this.identities(op);
    }
    for (const path of Object.keys(this.doc.paths)) this.methods(path);
    this.ranges();
    this.webhooks();
    this.bursts();
    this.passwords();
    this.opsRoutes();
    return this.cases;
  }

  /** Mostly an identity that gets past the sign-in check, so the values reach the code behind it. */
  private identityFor(op: Operation): Identity {
    if (op.security === 'open') return this.random.weighted({ anonymous: 5, session: 3, token: 2 });
    if (op.security === 'session_only' || SESSION_ONLY_PATHS.includes(op.path))
      return this.random.weighted({ session: 8, token: 1, anonymous: 1 });
    return this.random.weighted({ token: 4, session: 4, anonymous: 2 });
  }

  private add(
    op: Operation | null,
    c: Omit<HostileCase, 'id' | 'identity' | 'operation'> & Partial<HostileCase>,
  ): void {
    const identity = c.identity ?? (op ? this.identityFor(op) : 'anonymous');
    const operation =
      c.operation ?? (op ? `${op.method} ${op.path}` : `${c.method} ${c.target.toString('latin1')}`);
    const scratch = ENDS_CREDENTIALS.includes(operation) || c.scratch === true;
    this.cases.push({
      ...c,
      id: this.cases.length + 1,
      identity,
      operation,
      ...(scratch ? { scratch } : {}),
    });
  }

  /** The documented body of `op`, as JSON, for cases that vary something else. */
  private validBody(op: Operation): { body?: Buffer; headers: [string, string][] } {
    if (op.body)
      return { body: Buffer.from(JSON.stringify(baselineBody(op, this.cases.length))), headers: [JSON_TYPE] };
    if (op.opaqueBody) {
      const payload = JSON.stringify({
        id: `evt_sweep_${this.cases.length}`,
        object: 'event',
        type: 'sweep.unknown',
        data: { object: {} },
      });
      return { body: Buffer.from(payload), headers: [JSON_TYPE, ['Stripe-Signature', this.sign(payload)]] };
    }
    return { headers: [] };
  }

  private sign(payload: string, timestamp?: number): string {
    return Stripe.webhooks.generateTestHeaderString({
      payload,
      secret: this.webhookSecret,
      ...(timestamp !== undefined ? { timestamp } : {}),
    });
  }

  private storableExpectation(
    op: Operation,
    name: string,
    value: string,
    identity: Identity,
  ): Expectation | undefined {
    if (
      !SERIES_OPERATIONS.includes(op.path) ||
      (name !== 'from' && name !== 'to') ||
      identity === 'anonymous'
    )
      return undefined;
    if (!UNSTORABLE.has(value)) return undefined;
    return { statuses: [400], item: '2', why: 'a time outside what the engine stores' };
  }

  /** Every query parameter of the operation set to every hostile value, the others valid. */
  private queryValues(op: Operation): void {
    const base = baselineQuery(op);
    for (const p of op.params.filter((q) => q.in === 'query')) {
      const isTime = p.name === 'from' || p.name === 'to';
      const texts: HostileText[] = [
        ...(isTime ? HOSTILE_TIMES : HOSTILE_TIMES.slice(0, 4)),
        ...HOSTILE_TEXTS,
      ];
      const set = (encoded: string) =>
        queryString([...base.filter(([k]) => k !== p.name), [p.name, encoded]]);
      for (const v of texts) {
        const identity = this.identityFor(op);
        const expect = this.storableExpectation(op, p.name, v.text, identity);
        const { body, headers } = this.validBody(op);
        this.add(op, {
          family: 'query value',
          label: `${p.name}: ${v.label}`,
          identity,
          method: op.method,
          target: target(pathOf(op), set(pct(v.text))),
          headers,
          ...(body ? { body } : {}),
          sent: [v.text],
          ...(expect ? { expect } : {}),
        });
      }
      const valid = base.find(([k]) => k === p.name)?.[1] ?? baselineValue(op, p.name);
      for (const v of valid === undefined ? [] : INJECTIONS) {
        for (const [where, text] of [
          ['before', `${v.text}${valid ?? ''}`],
          ['after', `${valid ?? ''}${v.text}`],
        ] as const) {
          const { body, headers } = this.validBody(op);
          this.add(op, {
            family: 'query injection',
            label: `${p.name}: ${v.label} ${where} a valid value`,
            method: op.method,
            target: target(pathOf(op), set(pct(text))),
            headers,
            ...(body ? { body } : {}),
            sent: [text],
          });
        }
      }
      for (const v of HOSTILE_ENCODED) {
        const { body, headers } = this.validBody(op);
        this.add(op, {
          family: 'query encoding',
          label: `${p.name}: ${v.label}`,
          method: op.method,
          target: target(pathOf(op), set(v.encoded)),
          headers,
          ...(body ? { body } : {}),
          sent: [v.encoded, decodeURIComponentSafe(v.encoded)],
        });
      }
    }
  }

  /** Duplicate, array, empty, bare and missing parameters; unknown ones; odd query syntax. */
  private queryStructure(op: Operation): void {
    const base = baselineQuery(op);
    const variants: { label: string; query: string }[] = [];
    for (const p of op.params.filter((q) => q.in === 'query')) {
      const value = base.find(([k]) => k === p.name)?.[1] ?? baselineValue(op, p.name) ?? 'DE';
      const others = base.filter(([k]) => k !== p.name);
      variants.push(
        {
          label: `${p.name} twice (a=1&a=2)`,
          query: queryString([...others, [p.name, value], [p.name, value === 'DE' ? 'FR' : value]]),
        },
        {
          label: `${p.name} twice, same value`,
          query: queryString([...others, [p.name, value], [p.name, value]]),
        },
        { label: `${p.name}[]`, query: queryString([...others, [`${p.name}[]`, value]]) },
        {
          label: `${p.name}[] twice`,
          query: queryString([...others, [`${p.name}[]`, value], [`${p.name}[]`, value]]),
        },
        { label: `${p.name}[0]`, query: queryString([...others, [`${p.name}[0]`, value]]) },
        { label: `${p.name}[key]`, query: queryString([...others, [`${p.name}[key]`, value]]) },
        { label: `${p.name} without =`, query: [queryString(others), p.name].filter(Boolean).join('&') },
        { label: `${p.name} empty`, query: queryString([...others, [p.name, '']]) },
        { label: `${p.name} missing`, query: queryString(others) },
        { label: `${p.name} upper case`, query: queryString([...others, [p.name.toUpperCase(), value]]) },
        {
          label: `${p.name} encoded name`,
          query: queryString([
            ...others,
            [pct(p.name).replace(/./, (c) => `%${c.charCodeAt(0).toString(16)}`), value],
          ]),
        },
      );
    }
    const q = queryString(base);
    const and = q ? `${q}&` : '';
    variants.push(
      { label: 'unknown parameter', query: `${and}zzz=1` },
      { label: 'unknown parameter 100 kB', query: `${and}zzz=${'A'.repeat(100_000)}` },
      { label: '__proto__ parameter', query: `${and}__proto__=1` },
      { label: '__proto__[polluted]', query: `${and}__proto__[polluted]=1` },
      { label: 'constructor[prototype][polluted]', query: `${and}constructor[prototype][polluted]=1` },
      { label: 'toString parameter', query: `${and}toString=1&hasOwnProperty=1&valueOf=1` },
      {
        label: '300 unknown parameters',
        query: `${and}${Array.from({ length: 300 }, (_, i) => `p${i}=1`).join('&')}`,
      },
      { label: '2,000 copies of one parameter', query: `${and}${'x=1&'.repeat(2000)}` },
      { label: 'empty query', query: '' },
      { label: 'only separators', query: '&&&&' },
      { label: 'empty names', query: `${and}=&=1&==` },
      { label: 'semicolons', query: q.replaceAll('&', ';') },
      { label: 'fragment', query: `${q}#x` },
      { label: 'known parameters reversed', query: queryString([...base].reverse()) },
    );
    for (const v of variants) {
      const { body, headers } = this.validBody(op);
      this.add(op, {
        family: 'query structure',
        label: v.label,
        method: op.method,
        target: target(pathOf(op), v.query),
        headers,
        ...(body ? { body } : {}),
        sent: [],
      });
    }
    // Bytes HTTP does not allow in a request target, sent raw.
    const q0 = queryString(base);
    for (const [label, raw] of [
      ['raw space', 'a b'],
      ['raw CRLF', 'DE\r\nX-Injected: 1'],
      ['raw NUL', 'DE\u0000'],
      ['raw non-ASCII', 'DÉ'],
      ['raw invalid UTF-8', Buffer.from([0x44, 0xff, 0xfe])],
      ['raw tab', 'D\tE'],
      ['raw quote and angle brackets', '"<DE>"'],
    ] as const) {
      const bytes = Buffer.isBuffer(raw) ? raw : Buffer.from(raw, 'utf8');
      this.add(op, {
        family: 'raw target',
        label,
        method: op.method,
        target: Buffer.concat([Buffer.from(`${pathOf(op)}?${q0 ? `${q0}&` : ''}zzz=`, 'latin1'), bytes]),
        headers: [],
        sent: [Buffer.isBuffer(raw) ? raw.toString('latin1') : raw],
      });
    }
  }

  /** Path spellings that must not reach another route, and hostile path parameters. */
  private paths(op: Operation): void {
    const q = queryString(baselineQuery(op));
    const p = pathOf(op);
    const variants: [string, string][] = [
      ['trailing slash', `${p}/`],
      ['double slash', p.replace('/api/', '//api/')],
      ['upper case', p.toUpperCase()],
      ['dot segment', p.replace('/v1/', '/v1/./')],
      ['dot-dot segment', p.replace('/v1/', '/v1/x/../')],
      ['encoded dot-dot', p.replace('/v1/', '/v1/%2e%2e/v1/')],
      ['encoded slash', p.replace('/v1/', '/v1%2f')],
      ['matrix parameter', `${p};jsessionid=1`],
      ['extension', `${p}.json`],
      ['encoded NUL suffix', `${p}%00`],
      ['suffix', `${p}/../../../etc/passwd`],
      ['absolute-form target', `http://evil.example${p}`],
      ['asterisk target', '*'],
    ];
    for (const [label, path] of variants) {
      this.add(op, {
        family: 'path',
        label,
        method: op.method,
        target: target(path, q),
        headers: [],
        sent: [path],
      });
    }
    if (op.path.includes('{id}')) {
      for (const v of [...HOSTILE_TEXTS, ...HOSTILE_TIMES.slice(0, 3)]) {
        this.add(op, {
          family: 'path parameter',
          label: `id: ${v.label}`,
          method: op.method,
          target: target(op.path.replace('{id}', pct(v.text)), ''),
          headers: [],
          sent: [v.text],
        });
      }
      for (const v of HOSTILE_ENCODED) {
        this.add(op, {
          family: 'path parameter',
          label: `id: ${v.label}`,
          method: op.method,
          target: target(op.path.replace('{id}', v.encoded), ''),
          headers: [],
          sent: [v.encoded],
        });
      }
    }
  }

  /** Headers a client controls, set to what no client should send. */
  private headers(op: Operation): void {
    const q = queryString(baselineQuery(op));
    const t = target(pathOf(op), q);
    const variants: {
      label: string;
      headers: [string, string | Buffer][];
      replaces?: string[];
      identity?: Identity;
    }[] = [];
    const auth = [
      'Bearer ',
      'Bearer',
      'Bearer elk_',
      `Bearer elk_${'A'.repeat(200)}`,
      'Bearer elk_{token:String}',
      "Bearer elk_' OR 1=1 --",
      'Basic dXNlcjpwYXNz',
      'bearer elk_x',
      'Bearer  elk_x',
      'Bearer elk_x, Bearer elk_y',
      'Token elk_x',
      'Bearer elk_%00',
      `Bearer ${'A'.repeat(8000)}`,
    ];
    for (const a of auth)
      variants.push({
        label: `Authorization: ${a.slice(0, 40)}`,
        headers: [['Authorization', a]],
        replaces: ['authorization'],
        identity: 'anonymous',
      });
    const cookies = [
      'energylive_session=',
      "energylive_session=' OR '1'='1",
      'energylive_session={sessionId:String}',
      `energylive_session=${'A'.repeat(8000)}`,
      'energylive_session=%',
      'energylive_session=%E2%82',
      'energylive_session=a; energylive_session=b',
      '__Host-energylive_session=x',
      'energylive-oauth=eyJncmFudCI6e319; energylive-oauth.sig=forged',
      Array.from({ length: 200 }, (_, i) => `c${i}=${i}`).join('; '),
      '=; ;;; =x',
    ];
    for (const c of cookies)
      variants.push({
        label: `Cookie: ${c.slice(0, 40)}`,
        headers: [['Cookie', c]],
        replaces: ['cookie'],
        identity: 'anonymous',
      });
    for (const v of ['', 'x', "' OR '1'='1", 'A'.repeat(8000), '{csrf:String}']) {
      variants.push({
        label: `X-CSRF-Token: ${v.slice(0, 30)}`,
        headers: [['X-CSRF-Token', v]],
        replaces: ['x-csrf-token'],
        identity: 'session',
      });
    }
    const general: [string, string | Buffer][] = [
      ['Host', 'evil.example'],
      ['Host', ''],
      ['Host', 'localhost:99999'],
      ['Host', '[::1'],
      ['Host', 'a'.repeat(8000)],
      ['X-Forwarded-For', "' OR 1=1 --"],
      ['X-Forwarded-For', '999.999.999.999'],
      ['X-Forwarded-For', `${'1.2.3.4, '.repeat(1000)}5.6.7.8`],
      ['X-Forwarded-Proto', 'https'],
      ['X-Forwarded-Proto', 'gopher'],
      ['X-Forwarded-Host', 'evil.example'],
      ['Origin', 'null'],
      ['Origin', 'http://evil.example'],
      ['Referer', 'http://evil.example/'],
      ['Accept', 'text/html'],
      ['Accept', 'text/csv'],
      ['Accept', '*/*;q=0'],
      ['Accept', 'application/json;q=abc'],
      ['Accept-Encoding', 'gzip;q=2, br;q=-1, x'.repeat(20)],
      ['Accept-Language', 'x'.repeat(4000)],
      ['Range', 'bytes=0-1,2-3,4-5,'.repeat(100)],
      ['If-None-Match', '*'],
      ['If-Modified-Since', 'Thu, 01 Jan 1970 00:00:00 GMT'],
      ['Last-Event-ID', '-1'],
      ['Last-Event-ID', '99999999999999999999'],
      ['Last-Event-ID', "1' OR 1=1"],
      ['Last-Event-ID', 'A'.repeat(8000)],
      ['Content-Type', 'application/json'],
      ['Content-Type', 'a/b/c;;;charset='],
      ['Expect', '100-continue'],
      ['Expect', 'x-unknown'],
      ['Upgrade', 'websocket'],
      ['Connection', 'Upgrade, HTTP2-Settings'],
      ['X-HTTP-Method-Override', 'DELETE'],
      ['X-Injected-Test', 'a\r\nX-Injected: 1'],
      ['X-Lf', 'a\nX-Injected: 1'],
      ['X-Nul', 'a\u0000b'],
      ['X-Utf8', Buffer.from('DÉ💥', 'utf8')],
      ['X-Invalid-Utf8', Buffer.from([0xff, 0xfe, 0x80])],
      ['X-Obs-Fold', 'a\r\n continued'],
      ['X-Big', 'A'.repeat(20_000)],
      ['Content-Length', '-1'],
      ['Content-Length', 'abc'],
      ['Content-Length', '0, 5'],
      ['Transfer-Encoding', 'gzip, chunked'],
      ['Transfer-Encoding', 'x'],
    ];
    for (const [name, value] of general) {
      const lower = name.toLowerCase();
      variants.push({
        label: `${name}: ${(Buffer.isBuffer(value) ? value.toString('latin1') : value).slice(0, 30)}`,
        headers: [[name, value]],
        replaces:
          lower === 'host' ||
          lower.startsWith('content-length') ||
          lower === 'transfer-encoding' ||
          lower === 'connection' ||
          lower === 'x-forwarded-for'
            ? [lower]
            : [],
      });
    }
    variants.push({
      label: '100 extra headers',
      headers: Array.from({ length: 100 }, (_, i) => [`X-Extra-${i}`, String(i)]),
    });
    variants.push({
      label: 'Content-Length and Transfer-Encoding',
      headers: [
        ['Content-Length', '4'],
        ['Transfer-Encoding', 'chunked'],
      ],
      replaces: ['content-length', 'transfer-encoding'],
    });
    for (const v of variants) {
      // An empty object: the header is what is tested, and a valid sign-in body would cost a password hash each.
      const { body, headers } = op.body
        ? { body: Buffer.from('{}'), headers: [JSON_TYPE] }
        : this.validBody(op);
      const overridesType = v.headers.some(([n]) => n.toLowerCase() === 'content-type');
      this.add(op, {
        family: 'header',
        label: v.label,
        ...(v.identity ? { identity: v.identity } : {}),
        method: op.method,
        target: t,
        headers: [...headers.filter(([n]) => !(overridesType && n === 'Content-Type')), ...v.headers],
        ...(v.replaces ? { replaces: v.replaces } : {}),
        ...(body ? { body } : {}),
        sent: v.headers.map(([, value]) => (Buffer.isBuffer(value) ? value.toString('latin1') : value)),
      });
    }
  }

  /** Bodies: every field hostile or of the wrong type, broken JSON, other content types, deep nesting. */
  private bodies(op: Operation): void {
    const t = target(pathOf(op), queryString(baselineQuery(op)));
    const send = (label: string, body: Buffer, headers: [string, string][], sent: string[] = []) => {
      const signed = op.opaqueBody
        ? [...headers, ['Stripe-Signature', this.sign(body.toString('latin1'))] as [string, string]]
        : headers;
      this.add(op, { family: 'body', label, method: op.method, target: t, headers: signed, body, sent });
    };
    if (op.body) {
      const fields = Object.keys(op.body.properties);
      // Each of these requests costs a password hash (19 MiB, tens of milliseconds): half the values, drawn by the seed.
      const hashes = PASSWORD_ROUTES.includes(op.path);
      for (const field of fields) {
        const values = [...HOSTILE_TEXTS, ...HOSTILE_TIMES.slice(0, 3)].filter(
          () => !hashes || this.random.next() < 0.5,
        );
        for (const v of values) {
          const body = { ...baselineBody(op, this.cases.length), [field]: v.text };
          send(`${field}: ${v.label}`, Buffer.from(JSON.stringify(body)), [JSON_TYPE], [v.text]);
        }
        for (const v of INJECTIONS) {
          const valid = String(fieldBaseline(field, this.cases.length));
          for (const [where, text] of [
            ['before', `${v.text}${valid}`],
            ['inside', `${valid.slice(0, 1)}${v.text}${valid.slice(1)}`],
          ] as const) {
            const body = { ...baselineBody(op, this.cases.length), [field]: text };
            send(
              `${field}: ${v.label} ${where} a valid value`,
              Buffer.from(JSON.stringify(body)),
              [JSON_TYPE],
              [text],
            );
          }
        }
        for (const w of WRONG_TYPES) {
          const body = { ...baselineBody(op, this.cases.length), [field]: w.value };
          send(`${field}: ${w.label}`, Buffer.from(JSON.stringify(body)), [JSON_TYPE]);
        }
        const without = Object.fromEntries(
          Object.entries(baselineBody(op, this.cases.length)).filter(([k]) => k !== field),
        );
        send(`${field} missing`, Buffer.from(JSON.stringify(without)), [JSON_TYPE]);
        const first = JSON.stringify(baselineBody(op, this.cases.length)).slice(1, -1);
        send(`${field} twice`, Buffer.from(`{${first},"${field}":"second"}`), [JSON_TYPE]);
      }
      const valid = JSON.stringify(baselineBody(op, this.cases.length));
      send('__proto__ key', Buffer.from(`{"__proto__":{"polluted":true},${valid.slice(1)}`), [JSON_TYPE]);
      send(
        'constructor.prototype key',
        Buffer.from(`{"constructor":{"prototype":{"polluted":true}},${valid.slice(1)}`),
        [JSON_TYPE],
      );
      send(
        'extra fields',
        Buffer.from(
          `{"admin":true,"role":"operator","userId":"00000000-0000-0000-0000-000000000000",${valid.slice(1)}`,
        ),
        [JSON_TYPE],
      );
      send(
        'form-encoded',
        Buffer.from(new URLSearchParams(Object.fromEntries(fields.map((f) => [f, 'x']))).toString()),
        [['Content-Type', 'application/x-www-form-urlencoded']],
      );
      send('JSON as text/plain', Buffer.from(valid), [['Content-Type', 'text/plain']]);
      send('JSON without a content type', Buffer.from(valid), []);
      send('JSON as UTF-16', Buffer.from(`\ufeff${valid}`, 'utf16le'), [
        ['Content-Type', 'application/json; charset=utf-16'],
      ]);
      send('JSON in latin1', Buffer.from(valid.replace('sweep', 'swéep'), 'latin1'), [
        ['Content-Type', 'application/json; charset=iso-8859-1'],
      ]);
      send(
        'JSON with a byte-order mark',
        Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(valid)]),
        [JSON_TYPE],
      );
      send('gzip-encoded JSON', gzipSync(valid), [JSON_TYPE, ['Content-Encoding', 'gzip']]);
      send('unknown content encoding', Buffer.from(valid), [JSON_TYPE, ['Content-Encoding', 'x-unknown']]);
    }
    const shapes: [string, Buffer, [string, string][]][] = [
      ['empty JSON body', Buffer.alloc(0), [JSON_TYPE]],
      ['JSON null', Buffer.from('null'), [JSON_TYPE]],
      ['JSON array', Buffer.from('[]'), [JSON_TYPE]],
      ['JSON string', Buffer.from('"x"'), [JSON_TYPE]],
      ['JSON number', Buffer.from('1e999'), [JSON_TYPE]],
      ['JSON true', Buffer.from('true'), [JSON_TYPE]],
      ['unterminated JSON', Buffer.from('{"email":'), [JSON_TYPE]],
      ['trailing garbage', Buffer.from('{}garbage'), [JSON_TYPE]],
      ['single quotes', Buffer.from("{'email':'x'}"), [JSON_TYPE]],
      ['NUL in JSON', Buffer.from('{"email":"a\u0000b"}'), [JSON_TYPE]],
      ['raw NUL bytes', Buffer.alloc(64), [JSON_TYPE]],
      [
        'invalid UTF-8 in a JSON string',
        Buffer.concat([Buffer.from('{"email":"'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('"}')]),
        [JSON_TYPE],
      ],
      ['lone surrogate escape', Buffer.from('{"email":"\\ud800"}'), [JSON_TYPE]],
      [
        '10,000 nested arrays (within 16 kB)',
        Buffer.from(`${'['.repeat(7000)}${']'.repeat(7000)}`),
        [JSON_TYPE],
      ],
      [
        'nested objects (within 16 kB)',
        Buffer.from(`${'{"a":'.repeat(2500)}1${'}'.repeat(2500)}`),
        [JSON_TYPE],
      ],
      [
        '100,000 nested arrays (200 kB)',
        Buffer.from(`${'['.repeat(100_000)}${']'.repeat(100_000)}`),
        [JSON_TYPE],
      ],
      [
        'multipart',
        Buffer.from('--b\r\nContent-Disposition: form-data; name="email"\r\n\r\nx\r\n--b--\r\n'),
        [['Content-Type', 'multipart/form-data; boundary=b']],
      ],
      [
        'XML',
        Buffer.from('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>'),
        [['Content-Type', 'application/xml']],
      ],
      [
        'binary',
        Buffer.from(Array.from({ length: 256 }, (_, i) => i)),
        [['Content-Type', 'application/octet-stream']],
      ],
      [
        'content type with bad charset',
        Buffer.from('{}'),
        [['Content-Type', 'application/json; charset=x-unknown']],
      ],
      ['content type json-like', Buffer.from('{}'), [['Content-Type', 'application/vnd.api+json']]],
    ];
    const withBody = op.body !== undefined || op.opaqueBody;
    for (const [label, body, headers] of withBody ? shapes : shapes.filter((_, i) => i % 3 === 0))
      send(label, body, headers);
  }

  /** Bodies far past any limit: refused with 413 before they are read, by routes that take a body. */
  private hugeBodies(op: Operation): void {
    const t = target(pathOf(op), queryString(baselineQuery(op)));
    const takesBody = op.body !== undefined || op.opaqueBody;
    // A route that needs a user may refuse a stranger before looking at the body at all.
    const statuses = op.security === 'open' ? [413] : [413, 401, 403];
    const expect: Expectation | undefined = takesBody
      ? { statuses, item: 'none, a new finding', why: 'a body past the limit' }
      : undefined;
    const signature: [string, string][] = op.opaqueBody ? [['Stripe-Signature', this.sign('{}')]] : [];
    const tenMb = 10 * 1024 * 1024;
    // `ignorable`: a body of a type the route does not parse may be left unread instead of refused.
    const variants: {
      label: string;
      body: RawBody;
      chunked?: boolean;
      headers: [string, string][];
      unread: boolean;
      ignorable?: boolean;
      /** Compressed: the webhook checks its signature on the bytes as sent (README) and never inflates them. */
      signedAsSent?: boolean;
    }[] = [
      {
        label: '10 MB JSON-ish body with Content-Length',
        body: { chunk: Buffer.from('{"a":"'), size: tenMb },
        headers: [JSON_TYPE],
        unread: true,
      },
      {
        label: '10 MB chunked body',
        body: { chunk: Buffer.from('['), size: tenMb },
        chunked: true,
        headers: [JSON_TYPE],
        unread: true,
      },
      {
        label: '10 MB as text/plain',
        body: { chunk: Buffer.from('x'), size: tenMb },
        headers: [['Content-Type', 'text/plain']],
        unread: true,
        ignorable: true,
      },
      {
        label: 'gzip bomb: 10 MB of spaces in 10 kB',
        body: gzipSync(Buffer.alloc(tenMb, 0x20)),
        headers: [JSON_TYPE, ['Content-Encoding', 'gzip']],
        unread: false,
        signedAsSent: true,
      },
    ];
    if (op.opaqueBody)
      variants.push({
        label: '2 MB body (twice the webhook limit)',
        body: { chunk: Buffer.from(' '), size: 2 * 1024 * 1024 },
        headers: [JSON_TYPE],
        unread: false,
      });
    for (const v of variants) {
      this.add(op, {
        family: 'huge body',
        label: v.label,
        method: op.method,
        target: t,
        headers: [...v.headers, ...signature],
        body: v.body,
        ...(v.chunked ? { chunked: true } : {}),
        ...(op.opaqueBody && v.signedAsSent
          ? { expect: { statuses: [400], item: 'doc', why: 'the bytes as sent are not what was signed' } }
          : expect && !v.ignorable
            ? { expect }
            : {}),
        ...(takesBody && v.unread ? { refuseUnread: true } : {}),
        sent: [],
      });
    }
  }

  /** The valid request under every identity, and the refusals the issue asks for by identity and origin. */
  private identities(op: Operation): void {
    const t = target(pathOf(op), queryString(baselineQuery(op)));
    for (const identity of ['anonymous', 'session', 'token'] as const) {
      const { body, headers } = this.validBody(op);
      const sessionOnly = SESSION_ONLY_PATHS.includes(op.path) || op.security === 'session_only';
      const expect: Expectation | undefined =
        identity === 'token' && sessionOnly
          ? {
              statuses: [403],
              item: op.security === 'session_only' ? 'doc' : '6',
              why: 'managing the account or the subscription needs a browser session',
            }
          : undefined;
      this.add(op, {
        family: 'identity',
        label: `valid request as ${identity}`,
        identity,
        method: op.method,
        target: t,
        headers,
        ...(body ? { body } : {}),
        sent: [],
        ...(expect ? { expect } : {}),
      });
    }
    if (op.method === 'GET' || op.path === '/api/v1/billing/webhook') return;
    const csrf = {
      statuses: [403],
      item: '8',
      why: 'a foreign Origin must be refused whatever the Host says',
    };
    const variants: { label: string; headers: [string, string][]; replaces: string[]; item?: string }[] = [
      { label: 'foreign Origin', headers: [['Origin', 'http://evil.example']], replaces: ['origin'] },
      {
        label: 'foreign Origin with Host: evil.example',
        headers: [
          ['Origin', 'http://evil.example'],
          ['Host', 'evil.example'],
        ],
        replaces: ['origin', 'host'],
      },
      {
        label: 'foreign Origin with X-Forwarded-Host',
        headers: [
          ['Origin', 'http://evil.example'],
          ['X-Forwarded-Host', 'evil.example'],
        ],
        replaces: ['origin'],
      },
      {
        label: 'Sec-Fetch-Site: cross-site, no Origin',
        headers: [['Sec-Fetch-Site', 'cross-site']],
        replaces: ['origin'],
      },
    ];
    for (const v of variants) {
      const { body, headers } = this.validBody(op);
      this.add(op, {
        family: 'csrf',
        label: v.label,
        identity: 'session',
        method: op.method,
        target: t,
        headers: [...headers, ...v.headers],
        replaces: v.replaces,
        ...(body ? { body } : {}),
        sent: [],
        expect: csrf,
      });
    }
    const { body, headers } = this.validBody(op);
    const beforeSession = [
      '/api/v1/auth/signup',
      '/api/v1/auth/signup/confirm',
      '/api/v1/auth/login',
      '/api/v1/auth/reset',
      '/api/v1/auth/reset/confirm',
    ].includes(op.path);
    this.add(op, {
      family: 'csrf',
      label: 'session without its X-CSRF-Token',
      identity: 'session',
      method: op.method,
      target: t,
      headers,
      replaces: ['x-csrf-token'],
      ...(body ? { body } : {}),
      sent: [],
      ...(beforeSession
        ? {}
        : { expect: { statuses: [403], item: 'doc', why: 'a session request must carry its CSRF token' } }),
    });
  }

  /** Every method on every documented path; unknown ones are answered 405 JSON (item 9). */
  private methods(path: string): void {
    const documented = methodsOf(this.doc, path);
    const op = this.operations.find((o) => o.path === path) ?? null;
    const t = target(path.replace('{id}', TOKEN_ID), op ? queryString(baselineQuery(op)) : '');
    for (const method of [...METHODS, 'FOO', 'get', 'G\u0000T']) {
      if (documented.includes(method)) continue;
      const implied = method === 'HEAD' && documented.includes('GET');
      const parseable = /^[A-Z]+$/.test(method) && method !== 'FOO';
      // Whoever asks: a path has no route for the method, so no sign-in check runs before the 405 (the
      // README's rule has no exception); only a bad token is refused first, with a 401, and none is sent.
      const expect: Expectation | undefined =
        implied || method === 'OPTIONS' || !parseable
          ? undefined
          : { statuses: [405], item: '9', why: 'a method the route does not have' };
      for (const identity of ['anonymous', 'session', 'token'] as const)
        this.add(op, {
          family: 'method',
          operation: `${method} ${path}`,
          label: `method ${method}`,
          identity,
          method,
          target: t,
          headers: [],
          sent: [],
          ...(expect ? { expect } : {}),
        });
    }
  }

  /** Time ranges at every resolution around the span the engine stores. */
  private ranges(): void {
    const combos: [string, string, string, boolean][] = [
      ['1969-12-31', '1970-01-02', 'native', true],
      ['1969-12-31T23:59:59Z', '1970-01-01T00:00:01Z', 'native', true],
      ['1900-01-01', '1900-02-01', 'P1D', true],
      ['1970-01-01', '1970-01-02', 'native', false],
      ['1970-01-01', '1971-01-01', 'P1W', false],
      ['1970-01-01', '1971-01-01', 'P1M', false],
      ['1970-01-01', '2022-01-04', 'P1D', false],
      ['1970-01-01', '2106-02-07', 'P1M', false],
      ['1970-01-01', '2106-02-07', 'PT15M', false],
      ['2106-02-01', '2106-02-08', 'native', true],
      ['2106-02-07', '2107-01-01', 'P1D', true],
      ['2022-01-01', '2107-01-01', 'P1M', true],
      ['2022-01-01', '9999-12-31', 'P1M', true],
      ['1970-01-01', '9999-12-31', 'P1D', true],
      ['1970-01-01', '9999-12-31', 'P1W', true],
      ['2022-01-01', '2023-02-05', 'native', false],
      ['2022-01-01', '2023-02-06', 'PT60M', false],
      ['2022-01-01T00:00:00Z', '2022-01-01T00:00:00Z', 'native', false],
      ['2022-01-02', '2022-01-01', 'native', false],
      ['2016-12-31T23:59:60Z', '2017-01-02', 'native', false],
      ['2022-01-01T00:00:00.001Z', '2022-01-01T00:15:00.001Z', 'PT15M', false],
      ['2022-03-27T00:00+01:00', '2022-03-28T00:00+02:00', 'PT60M', false],
    ];
    const routes: [string, [string, string][]][] = [
      ['/api/v1/load', [['area', 'DE']]],
      [
        '/api/v1/generation',
        [
          ['area', 'DE'],
          ['type', 'Solar'],
        ],
      ],
      ['/api/v1/generation', [['area', 'DE']]],
      [
        '/api/v1/flows',
        [
          ['out', 'DE'],
          ['in', 'FR'],
        ],
      ],
      ['/api/v1/flows', [['area', 'DE']]],
      [
        '/api/v1/stats',
        [
          ['dataset', 'load'],
          ['area', 'DE'],
        ],
      ],
      [
        '/api/v1/stats',
        [
          ['dataset', 'generation'],
          ['area', 'DE'],
        ],
      ],
      [
        '/api/v1/stats',
        [
          ['dataset', 'flows'],
          ['area', 'DE'],
        ],
      ],
      [
        '/api/v1/stream',
        [
          ['dataset', 'load'],
          ['area', 'DE'],
        ],
      ],
    ];
    for (const [path, fixed] of routes) {
      const op = this.operations.find((o) => o.path === path && o.method === 'GET') ?? null;
      for (const [from, to, resolution, unstorable] of combos) {
        const query: [string, string][] = [...fixed, ['from', pct(from)], ['to', pct(to)]];
        if (path !== '/api/v1/stats') query.push(['resolution', resolution]);
        this.add(op, {
          family: 'range',
          label: `${fixed.map(([k, v]) => `${k}=${v}`).join(' ')} ${from} … ${to} ${path === '/api/v1/stats' ? '' : resolution}`,
          identity: this.random.pick(['session', 'token'] as const),
          method: 'GET',
          target: target(path, queryString(query)),
          headers: [],
          sent: [from, to],
          ...(unstorable
            ? {
                expect: {
                  statuses: [400],
                  item: '2',
                  why: 'the range reaches outside what the engine stores',
                },
              }
            : {}),
        });
      }
    }
  }

  /** Stripe's webhook with signed bodies that are not events, and signatures from the wrong time. */
  private webhooks(): void {
    const op = this.operations.find((o) => o.path === '/api/v1/billing/webhook') ?? null;
    if (!op) return;
    const now = Math.floor(Date.now() / 1000);
    const event = (type: string, object: unknown) =>
      JSON.stringify({ id: `evt_${type}_${this.cases.length}`, object: 'event', type, data: { object } });
    const payloads: [string, string][] = [
      ['not JSON', 'not json'],
      ['empty', ''],
      ['[]', '[]'],
      ['{}', '{}'],
      ['null', 'null'],
      ['a number', '42'],
      ['event without id', JSON.stringify({ type: 'checkout.session.completed', data: { object: {} } })],
      [
        'event with a numeric id',
        JSON.stringify({ id: 1, type: 'checkout.session.completed', data: { object: {} } }),
      ],
      ['event with an object id', JSON.stringify({ id: { $ne: null }, type: 'invoice.paid', data: {} })],
      [
        'event with a 100 kB id',
        JSON.stringify({ id: 'e'.repeat(100_000), type: 'invoice.paid', data: { object: {} } }),
      ],
      [
        'checkout.session.completed without data',
        JSON.stringify({ id: 'evt_nodata', type: 'checkout.session.completed' }),
      ],
      ['checkout.session.completed, empty object', event('checkout.session.completed', {})],
      [
        'checkout.session.completed, hostile fields',
        event('checkout.session.completed', {
          customer: "' OR 1=1 --",
          client_reference_id: '{userId:String}',
          subscription: ['x'],
          metadata: { userId: '../../' },
        }),
      ],
      ['customer.subscription.updated, empty object', event('customer.subscription.updated', {})],
      [
        'customer.subscription.updated, wrong types',
        event('customer.subscription.updated', {
          id: 5,
          customer: null,
          status: { a: 1 },
          current_period_end: 'soon',
          items: 'x',
          cancel_at_period_end: 'yes',
        }),
      ],
      [
        'customer.subscription.deleted, huge period end',
        event('customer.subscription.deleted', {
          id: 'sub_x',
          customer: 'cus_x',
          status: 'canceled',
          current_period_end: 1e300,
        }),
      ],
      [
        'customer.subscription.created, period end 9999',
        event('customer.subscription.created', {
          id: 'sub_y',
          customer: 'cus_y',
          status: 'active',
          current_period_end: 253402300799,
          items: { data: [{ current_period_end: -1 }] },
        }),
      ],
      ['invoice.paid, empty object', event('invoice.paid', {})],
      ['invoice.payment_failed, null object', event('invoice.payment_failed', null)],
      ['unknown event type', event('sweep.unknown', {})],
      [
        'deeply nested data',
        JSON.stringify({
          id: 'evt_deep',
          type: 'invoice.paid',
          data: JSON.parse(`${'{"a":'.repeat(1000)}1${'}'.repeat(1000)}`) as unknown,
        }),
      ],
      ['100,000 nested arrays', `${'['.repeat(100_000)}${']'.repeat(100_000)}`],
      ['invalid UTF-8', Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]).toString('latin1')],
    ];
    for (const [label, payload] of payloads) {
      const bytes = Buffer.from(payload, 'latin1');
      this.add(op, {
        family: 'webhook',
        label: `signed body: ${label}`,
        identity: 'anonymous',
        method: 'POST',
        target: target(op.path, ''),
        headers: [JSON_TYPE, ['Stripe-Signature', this.sign(payload)]],
        body: bytes,
        sent: [],
        ...(/^(not JSON|empty|\[\]|\{\}|null|a number|100,000 nested arrays|invalid UTF-8|event without id|event with an object id)$/.test(
          label,
        )
          ? { expect: { statuses: [400], item: '3', why: 'a signed body that is not a Stripe event' } }
          : {}),
      });
    }
    const valid = event('sweep.unknown', {});
    const signatures: [string, string, Expectation | undefined][] = [
      [
        '24 h in the future',
        this.sign(valid, now + 86_400),
        { statuses: [400], item: '3', why: 'a signature from the future is refused like a stale one' },
      ],
      [
        '1 h in the future',
        this.sign(valid, now + 3600),
        { statuses: [400], item: '3', why: 'a signature from the future is refused like a stale one' },
      ],
      [
        '1 h old',
        this.sign(valid, now - 3600),
        { statuses: [400], item: 'doc', why: 'older than five minutes' },
      ],
      [
        'timestamp 1970-01-01T00:00:01Z',
        this.sign(valid, 1),
        { statuses: [400], item: 'doc', why: 'older than five minutes' },
      ],
      [
        'timestamp 2^64',
        `t=18446744073709551616,v1=${'0'.repeat(64)}`,
        { statuses: [400], item: 'doc', why: 'not a signature' },
      ],
      ['empty', '', { statuses: [400], item: 'doc', why: 'missing signature' }],
      ['garbage', "t=' OR 1=1,v1={sig:String}", { statuses: [400], item: 'doc', why: 'not a signature' }],
      [
        'wrong secret',
        Stripe.webhooks.generateTestHeaderString({ payload: valid, secret: 'whsec_wrong' }),
        { statuses: [400], item: 'doc', why: 'wrong signature' },
      ],
      [
        '200 signatures',
        `t=${now},${Array.from({ length: 200 }, () => `v1=${'a'.repeat(64)}`).join(',')}`,
        { statuses: [400], item: 'doc', why: 'wrong signature' },
      ],
      ['100 kB', `t=${now},v1=${'a'.repeat(100_000)}`, undefined],
    ];
    for (const [label, signature, expect] of signatures) {
      this.add(op, {
        family: 'webhook',
        label: `signature: ${label}`,
        identity: 'anonymous',
        method: 'POST',
        target: target(op.path, ''),
        headers: [JSON_TYPE, ['Stripe-Signature', signature]],
        body: Buffer.from(valid),
        sent: [signature],
        ...(expect ? { expect } : {}),
      });
    }
  }

  /** Many attempts from one address on the routes that guess secrets: each must be rate-limited. */
  private bursts(): void {
    const routes: [string, (i: number) => Record<string, string>, Identity?][] = [
      ['/api/v1/auth/login', (i) => ({ email: `burst-${i}@example.com`, password: `wrong password ${i}` })],
      // A session guessing its account's password: each guess costs a password hash, as a sign-in does.
      [
        '/api/v1/auth/password',
        (i) => ({ current: `wrong password ${i}`, password: 'a long burst passphrase' }),
        'session',
      ],
      [
        '/api/v1/auth/signup',
        (i) => ({ email: `burst-signup-${i}@example.com`, password: 'a long burst passphrase' }),
      ],
      ['/api/v1/auth/reset', (i) => ({ email: `burst-reset-${i}@example.com` })],
      [
        '/api/v1/auth/reset/confirm',
        (i) => ({
          token: `${'t'.repeat(40)}${String(i).padStart(3, '0')}`,
          password: 'a long burst passphrase',
        }),
      ],
    ];
    for (const [path, body, identity = 'anonymous'] of routes) {
      const op = this.operations.find((o) => o.path === path) ?? null;
      if (!op) continue;
      for (let i = 0; i < 60; i++) {
        this.add(op, {
          family: 'burst',
          label: `attempt ${i + 1} of 60 from one address`,
          identity,
          method: 'POST',
          target: target(path, ''),
          headers: [JSON_TYPE, ['X-Forwarded-For', '203.0.113.77']],
          replaces: ['x-forwarded-for'],
          body: Buffer.from(JSON.stringify(body(i))),
          sent: [],
          burst: path,
        });
      }
    }
  }

  /** Sign-up with passwords the issue says must be refused (item 10). */
  private passwords(): void {
    const op = this.operations.find((o) => o.path === '/api/v1/auth/signup') ?? null;
    if (!op) return;
    const weak: [string, (local: string) => string][] = [
      ['only spaces', () => ' '.repeat(12)],
      ['only tabs and newlines', () => '\t\n\t\n\t\n\t\n\t\n'],
      ['only control characters', () => '\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u000b'],
      ['one repeated character', () => 'aaaaaaaaaaaaaaaa'],
      ['one repeated symbol', () => '€€€€€€€€€€'],
      ['the email local part', (local) => `${local}2024!`],
      ['the product name', () => 'EnergyLive rocks 99'],
    ];
    for (const [label, password] of weak) {
      const local = `policy${this.cases.length}`;
      this.add(op, {
        family: 'password policy',
        label: `password: ${label}`,
        identity: 'anonymous',
        method: 'POST',
        target: target(op.path, ''),
        headers: [JSON_TYPE],
        body: Buffer.from(JSON.stringify({ email: `${local}@example.com`, password: password(local) })),
        sent: [],
        expect: { statuses: [400], item: '10', why: `a password that is ${label}` },
      });
    }
  }

  /** The routes outside the document: probes, metrics and the document itself. */
  private opsRoutes(): void {
    const routes: [string, Expectation | undefined][] = [
      ['/healthz', undefined],
      ['/readyz', undefined],
      ['/metrics', { statuses: [404], item: '9', why: '/metrics is served on the health port only' }],
      ['/api/v1/openapi.json', undefined],
      ['/api', undefined],
      ['/api/v1', undefined],
      ['/api/v1/', undefined],
      ['/api/v2/load', undefined],
      ['/api/v1/nonexistent', undefined],
    ];
    for (const [path, expect] of routes) {
      for (const [label, query] of [
        ['plain', ''],
        ['hostile query', `x=${pct("' OR 1=1 --")}&x[]=%00&%E2%82=1`],
      ] as const) {
        this.add(null, {
          family: 'ops route',
          operation: `GET ${path}`,
          label,
          identity: this.random.pick(['anonymous', 'token'] as const),
          method: 'GET',
          target: target(path, query),
          headers: [],
          sent: [],
          ...(expect ? { expect } : {}),
        });
      }
    }
  }
}

function decodeURIComponentSafe(encoded: string): string {
  try {
    return decodeURIComponent(encoded);
  } catch {
    return encoded;
  }
}

/** The bytes of a case as sent with the given credentials and client address. */
export function rawRequestOf(
  c: HostileCase,
  creds: Credentials,
  session: { cookie: string; csrfToken: string },
): RawRequest {
  const replaces = new Set(c.replaces ?? []);
  const own = new Set(c.headers.map(([n]) => n.toLowerCase()));
  const headers: [string, string | Buffer][] = [];
  const add = (name: string, value: string) => {
    if (!replaces.has(name.toLowerCase()) && !own.has(name.toLowerCase())) headers.push([name, value]);
  };
  add('Host', creds.host);
  add('Connection', 'close');
  add('X-Forwarded-For', `10.${(c.id >> 16) & 255}.${(c.id >> 8) & 255}.${c.id & 255}`);
  if (c.identity === 'token') add('Authorization', `Bearer ${creds.token}`);
  if (c.identity === 'session') {
    add('Cookie', session.cookie);
    add('X-CSRF-Token', session.csrfToken);
    add('Origin', creds.publicUrl);
  }
  headers.push(...c.headers);
  const body = c.body;
  const size = body ? (Buffer.isBuffer(body) ? body.length : body.size) : 0;
  if (c.chunked) add('Transfer-Encoding', 'chunked');
  else if (c.contentLength !== undefined) add('Content-Length', c.contentLength);
  else if (body && (size > 0 || c.method === 'POST')) add('Content-Length', String(size));
  else if (c.method === 'POST' || c.method === 'PUT' || c.method === 'PATCH') add('Content-Length', '0');
  return {
    head: requestHead(c.method, c.target, headers),
    ...(body ? { body } : {}),
    ...(c.chunked ? { chunked: true } : {}),
  };
}
