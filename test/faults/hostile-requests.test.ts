import { expect } from 'chai';
import { startFullStack, type FullStack } from '../support/full-stack.js';
import {
  HostileCaseBuilder,
  rawRequestOf,
  type Credentials,
  type HostileCase,
  type Identity,
} from '../support/hostile-requests.js';
import { operationsOf, type OpenApiDocument } from '../support/openapi-operations.js';
import { describeRequest, sendRaw, type RawOutcome, type RawRequest } from '../support/raw-http.js';
import { leaksIn } from '../support/response-leaks.js';
import { apiToken, cookieOf, postJson } from '../support/subscriber.js';

const SEED = 20261203;
const CONCURRENCY = 6;
/** More values than any answer should hold: a year of quarter-hours for every production type is 0.8 M. */
const MAX_VALUES = 1_000_000;
/** What Node's own HTTP parser answers, before any EnergyLive code runs, with neither type nor body. */
const PROTOCOL_STATUSES = new Set([400, 413, 414, 417, 431, 501, 505]);

type Check =
  | 'answered'
  | 'json'
  | 'protocol json'
  | 'leak'
  | 'injection'
  | 'nosniff'
  | 'expected'
  | 'unread'
  | 'bounded';

interface Finding {
  check: Check;
  what: string;
}

interface Judged {
  c: HostileCase;
  status: number | undefined;
  summary: string;
  request: string;
  findings: Finding[];
  retryAfter: boolean;
  ms: number;
}

function header(outcome: RawOutcome, name: string): string | undefined {
  return outcome.response?.headers.find(([n]) => n === name)?.[1];
}

/** Every check of one answer; what fails is kept with the request, so it can be sent again by hand. */
function judge(c: HostileCase, request: RawRequest, outcome: RawOutcome, printable: string): Judged {
  const findings: Finding[] = [];
  const res = outcome.response;
  const status = res?.status;
  const type = res ? (header(outcome, 'content-type') ?? '') : '';
  const text = res ? res.body.toString('utf8') : '';
  const retryAfter = res ? header(outcome, 'retry-after') !== undefined : false;
  const protocol =
    res !== undefined && type === '' && res.body.length === 0 && PROTOCOL_STATUSES.has(res.status);
  const summary = res
    ? `${res.status} ${type} ${JSON.stringify(text.slice(0, 160))}${res.truncated ? ' (truncated)' : ''}`
    : `no answer: ${outcome.error ?? '?'}`;
  if (!res) findings.push({ check: 'answered', what: `no answer (${outcome.error ?? '?'})` });
  else if (res.status >= 500 && !(res.status === 503 && retryAfter))
    findings.push({ check: 'answered', what: `${res.status}${protocol ? ' from the HTTP parser' : ''}` });
  if (res && res.status >= 400 && c.method !== 'HEAD') {
    if (protocol)
      findings.push({ check: 'protocol json', what: `bare ${res.status} from Node's HTTP parser` });
    else {
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        body = undefined;
      }
      const ok =
        /^application\/json/.test(type) &&
        typeof body === 'object' &&
        body !== null &&
        typeof (body as { error?: unknown }).error === 'string';
      if (!ok)
        findings.push({ check: 'json', what: `${res.status} ${type || 'without a type'} not {error}` });
    }
  }
  if (res) {
    const headerText = res.headers.map(([n, v]) => `${n}: ${v}`).join('\n');
    for (const leak of leaksIn(`${headerText}\n${text}`, c.sent))
      findings.push({ check: 'leak', what: leak });
    if (res.headers.some(([n]) => n === 'x-injected'))
      findings.push({ check: 'injection', what: 'the answer carries the injected header X-Injected' });
    if (
      c.target.toString('latin1').startsWith('/api') &&
      !protocol &&
      header(outcome, 'x-content-type-options') !== 'nosniff'
    )
      findings.push({ check: 'nosniff', what: 'no X-Content-Type-Options: nosniff' });
    if (res.truncated && res.status < 300)
      findings.push({ check: 'bounded', what: `an answer over ${res.body.length} bytes` });
    else if (res.status === 200 && /json/.test(type) && text.startsWith('{"dataset"')) {
      const doc = JSON.parse(text) as { t?: unknown[]; series?: { values?: unknown[] }[] };
      const values = (doc.t?.length ?? 0) * Math.max(1, doc.series?.length ?? 0);
      if (values > MAX_VALUES) findings.push({ check: 'bounded', what: `${values} values in one answer` });
    }
    if ((res.status === 429 || res.status === 503) && !retryAfter && !protocol)
      findings.push({ check: 'expected', what: `${res.status} without Retry-After (doc)` });
  }
  if (c.expect && (status === undefined || !c.expect.statuses.includes(status)))
    findings.push({
      check: 'expected',
      what: `expected ${c.expect.statuses.join(' or ')} (item ${c.expect.item}: ${c.expect.why}), got ${status ?? 'no answer'}`,
    });
  if (c.refuseUnread) {
    const size = request.body ? (Buffer.isBuffer(request.body) ? request.body.length : request.body.size) : 0;
    if (!res || outcome.bodyBytesBeforeAnswer >= size)
      findings.push({ check: 'unread', what: `answered only after all ${size} bytes of the body were sent` });
  }
  return { c, status, summary, request: printable, findings, retryAfter, ms: outcome.ms };
}

function failures(judged: Judged[], check: Check): number {
  return judged.filter((j) => j.findings.some((f) => f.check === check)).length;
}

/** Failures of one check, grouped by what failed, with the operations it hit and requests to send again. */
function report(judged: Judged[], check: Check): string {
  const failing = judged.filter((j) => j.findings.some((f) => f.check === check));
  const groups = new Map<string, Judged[]>();
  for (const j of failing) {
    const what =
      j.findings
        .find((f) => f.check === check)
        ?.what.replace(/\d{4,}/g, 'N')
        .slice(0, 90) ?? '';
    const key = `${what} — ${j.c.family}`;
    groups.set(key, [...(groups.get(key) ?? []), j]);
  }
  const lines = [`${failing.length} of ${judged.length} requests fail "${check}" (seed ${SEED}):`];
  for (const [key, group] of [...groups.entries()].slice(0, 60)) {
    const operations = [...new Set(group.map((j) => j.c.operation))];
    lines.push(
      `  ${key}: ${group.length} case(s) on ${operations.slice(0, 6).join(', ')}${operations.length > 6 ? ` and ${operations.length - 6} more` : ''}; e.g.`,
    );
    for (const j of group.slice(0, 2)) {
      lines.push(`    #${j.c.id} [${j.c.identity}] ${j.c.operation} ${j.c.family}: ${j.c.label}`);
      lines.push(`      answer ${j.summary}`);
      lines.push(`      request: ${j.request}`);
    }
  }
  if (groups.size > 60) lines.push(`  … and ${groups.size - 60} more groups`);
  return lines.join('\n');
}

/**
 * Issue 11, item 19: a hostile-request sweep generated from the OpenAPI document the gateway serves.
 * Every documented path and method gets boundary dates, numbers, SQL and ClickHouse placeholder
 * fragments, CR/LF and NUL, invalid percent-encodings and UTF-8, 100 kB values, duplicate, array and
 * unknown parameters, broken and huge bodies, other content types and wrong methods, anonymously, with
 * the subscriber's browser session and with their API token, against the whole stack in this process.
 * Cases that end the credentials they carry (sign-out, revoking tokens) are sent as a second, throw-away
 * subscriber whose session and token are made anew after each, so no case changes what the others meet.
 * Each check is its own test, so a failure says which promise broke and lists the requests that broke it.
 */
describe('hostile requests against every documented route', function () {
  this.timeout(300_000);
  let full: FullStack;
  let doc: OpenApiDocument;
  let cases: HostileCase[];
  const judged: Judged[] = [];
  let elapsedMs = 0;

  before(async function () {
    this.timeout(300_000);
    full = await startFullStack({ ENERGYLIVE_TRUST_PROXY: 'true' });
    doc = (await (await fetch(`${full.publicUrl}/api/v1/openapi.json`)).json()) as OpenApiDocument;
    cases = new HostileCaseBuilder(doc, SEED, full.webhookSecret).build();
    const main: Credentials = {
      host: new URL(full.publicUrl).host,
      publicUrl: full.publicUrl,
      cookie: full.subscriber.cookie,
      csrfToken: full.subscriber.csrfToken,
      token: full.subscriber.token,
      webhookSecret: full.webhookSecret,
    };
    const scratchSubscriber = await full.addSubscriber('scratch');
    const scratch: Credentials = {
      ...main,
      cookie: scratchSubscriber.cookie,
      csrfToken: scratchSubscriber.csrfToken,
      token: scratchSubscriber.token,
    };
    let logins = 0;
    /**
     * After each case that may have ended them, the throw-away subscriber's session and token work
     * again: a new sign-in (from an address of its own, below the per-address limit) and a new token.
     */
    const restoreScratch = async () => {
      const me = (headers: Record<string, string>) =>
        fetch(`${full.publicUrl}/api/v1/me`, { headers }).then((res) => res.status);
      if ((await me({ cookie: scratch.cookie })) === 401) {
        const res = await fetch(`${full.publicUrl}/api/v1/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-forwarded-for': `198.51.100.${++logins % 250}` },
          body: JSON.stringify({ email: scratchSubscriber.email, password: scratchSubscriber.password }),
        });
        if (res.status !== 200) throw new Error(`signing the scratch subscriber in answered ${res.status}`);
        scratch.cookie = cookieOf(res);
        scratch.csrfToken = ((await res.json()) as { csrfToken: string }).csrfToken;
      }
      if ((await me({ authorization: `Bearer ${scratch.token}` })) === 401)
        scratch.token = await apiToken(full.publicUrl, scratch, 'scratch');
    };
    /**
     * A subscriber holds at most 25 tokens; revoked at once, every token-creating case reaches the code
     * that stores the name instead of the limit.
     */
    const revokeCreatedToken = async (outcome: RawOutcome) => {
      const id = (JSON.parse(outcome.response?.body.toString('utf8') ?? '{}') as { id?: unknown }).id;
      if (typeof id !== 'string') return;
      await fetch(`${full.publicUrl}/api/v1/tokens/${id}`, {
        method: 'DELETE',
        headers: { cookie: main.cookie, 'x-csrf-token': main.csrfToken, origin: full.publicUrl },
      });
    };
    const printable = (request: RawRequest, creds: Credentials) => {
      const who = creds === scratch ? 'scratch ' : '';
      return describeRequest(request)
        .split(creds.token)
        .join(`<${who}API token>`)
        .split(creds.cookie)
        .join(`energylive_session=<${who}session>`)
        .split(creds.csrfToken)
        .join(`<${who}CSRF token>`);
    };
    const send = async (c: HostileCase, creds: Credentials) => {
      const request = rawRequestOf(c, creds, creds);
      const outcome = await sendRaw(full.port, request, { timeoutMs: 20_000 });
      judged.push(judge(c, request, outcome, printable(request, creds)));
      if (outcome.response?.status === 201) await revokeCreatedToken(outcome);
    };
    // Work for six clients at once. What must be sent one after another is one piece of work, taken
    // first: the cases that end credentials, as the throw-away subscriber, and each burst from one address.
    const bursts = new Map<string, HostileCase[]>();
    for (const c of cases.filter((x) => x.burst !== undefined && !x.scratch))
      bursts.set(c.burst ?? '', [...(bursts.get(c.burst ?? '') ?? []), c]);
    const work: (() => Promise<void>)[] = [
      async () => {
        for (const c of cases.filter((x) => x.scratch)) {
          await send(c, scratch);
          await restoreScratch();
        }
      },
      ...[...bursts.values()].map((burst) => async () => {
        for (const c of burst) await send(c, main);
      }),
      ...cases.filter((c) => !c.scratch && c.burst === undefined).map((c) => () => send(c, main)),
    ];
    const started = Date.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        for (let next = work.shift(); next; next = work.shift()) await next();
      }),
    );
    elapsedMs = Date.now() - started;
    judged.sort((a, b) => a.c.id - b.c.id);
    const statuses = new Map<string, number>();
    for (const j of judged)
      statuses.set(String(j.status ?? 'none'), (statuses.get(String(j.status ?? 'none')) ?? 0) + 1);
    console.log(
      `hostile sweep: ${judged.length} requests in ${(elapsedMs / 1000).toFixed(1)} s; statuses ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`,
    );
  });

  after(async () => {
    await full.stop();
  });

  it('covers every path and method of the OpenAPI document, as every identity, with over 1,000 requests', () => {
    const missing: string[] = [];
    for (const op of operationsOf(doc)) {
      for (const identity of ['anonymous', 'session', 'token'] as Identity[]) {
        const name = `${op.method} ${op.path}`;
        if (!cases.some((c) => c.operation === name && c.identity === identity))
          missing.push(`${name} as ${identity}`);
      }
    }
    expect(missing, 'operations without a case').to.deep.equal([]);
    expect(cases.length).to.be.greaterThan(1000);
    expect(judged.length).to.equal(cases.length);
  });

  it('recognises leaks when it sees them, and not in plain answers', () => {
    // What the gateway logged for the 5xx answers of this sweep: the detector must catch each one.
    const internals = [
      "Value -86400 cannot be parsed as UInt32 for query parameter 'from' because it isn't parsed completely",
      'null value in column "id" of relation "stripe_events" violates not-null constraint',
      'invalid byte sequence for encoding "UTF8": 0x00',
      'Unexpected token \'o\', "not json" is not valid JSON',
      "Cannot read properties of null (reading 'id')",
      'Error: boom\n    at Object.handler (/work/app/actors/query/query.service.ts:12:5)',
      'Code: 62. DB::Exception: Syntax error: failed at position 1',
      "ServiceNotFoundError: Service 'query.series' is not found.",
      'SELECT ts, value FROM energylive.load WHERE toYYYYMM(ts) = {partition:UInt32}',
      'connect ECONNREFUSED 127.0.0.1:5432',
    ];
    expect(
      internals.filter((text) => leaksIn(JSON.stringify({ error: text }), []).length === 0),
    ).to.deep.equal([]);
    const plain = [
      {
        error: 'from: expected an ISO 8601 date or date-time, e.g. 2022-01-01 or 2022-01-01T12:00Z',
        parameter: 'from',
      },
      { error: 'wrong email or password', code: 'INVALID_CREDENTIALS' },
      { error: 'internal error' },
      doc,
    ];
    expect(plain.map((p) => leaksIn(JSON.stringify(p), [])).flat()).to.deep.equal([]);
  });

  it('answers every request, never with a 5xx (a 503 only with Retry-After)', () => {
    expect(failures(judged, 'answered'), report(judged, 'answered')).to.equal(0);
  });

  it('answers every error EnergyLive itself gives as JSON {error, …}', () => {
    expect(failures(judged, 'json'), report(judged, 'json')).to.equal(0);
  });

  it("answers requests Node's HTTP parser refuses (100 kB URLs, NUL or CR in a header) as JSON too", () => {
    expect(failures(judged, 'protocol json'), report(judged, 'protocol json')).to.equal(0);
  });

  it('leaks no internals: no stack traces, paths, SQL, engine or framework names, exception classes', () => {
    expect(failures(judged, 'leak'), report(judged, 'leak')).to.equal(0);
  });

  it('never lets a value inject a header into an answer', () => {
    expect(failures(judged, 'injection'), report(judged, 'injection')).to.equal(0);
  });

  it('sends X-Content-Type-Options: nosniff with every API answer (item 9)', () => {
    expect(failures(judged, 'nosniff'), report(judged, 'nosniff')).to.equal(0);
  });

  it('gives the documented refusal where the issue or the document asks for one', () => {
    expect(failures(judged, 'expected'), report(judged, 'expected')).to.equal(0);
  });

  it('refuses a huge body before reading it', () => {
    expect(failures(judged, 'unread'), report(judged, 'unread')).to.equal(0);
  });

  it('never answers with an unbounded series (item 1)', () => {
    expect(failures(judged, 'bounded'), report(judged, 'bounded')).to.equal(0);
  });

  it('rate-limits every route that guesses a secret or sends email, per address or account (item 4)', () => {
    const bursts = new Map<string, Judged[]>();
    for (const j of judged.filter((x) => x.c.burst))
      bursts.set(j.c.burst ?? '', [...(bursts.get(j.c.burst ?? '') ?? []), j]);
    const unlimited = [...bursts].filter(([, js]) => !js.some((j) => j.status === 429 && j.retryAfter));
    expect(
      unlimited.map(
        ([path, js]) =>
          `${path}: ${js.length} attempts from one address, statuses ${[...new Set(js.map((j) => j.status))].join(', ')}`,
      ),
      'routes without a rate limit',
    ).to.deep.equal([]);
  });

  it('is still up afterwards: probes pass, the session and the token work, the data is exact, no prototype is polluted', async () => {
    expect((await fetch(`${full.publicUrl}/healthz`)).status).to.equal(200);
    const me = await fetch(`${full.publicUrl}/api/v1/me`, { headers: { cookie: full.subscriber.cookie } });
    expect(me.status, 'the subscriber session still works').to.equal(200);
    const res = await fetch(`${full.publicUrl}/api/v1/load?area=DE&from=2022-01-01&to=2022-01-02`, {
      headers: { authorization: `Bearer ${full.subscriber.token}` },
    });
    expect(res.status).to.equal(200);
    const series = (await res.json()) as { t: number[]; series: { values: (number | null)[] }[] };
    const stored = full.stored.load.filter((r) => r.map_code === 'DE' && (r.ts ?? '') < '2022-01-02');
    expect(series.t).to.deep.equal(
      stored.map((r) => Date.parse(`${(r.ts ?? '').replace(' ', 'T')}Z`) / 1000),
    );
    expect(series.series[0]?.values).to.deep.equal(stored.map((r) => Number(r.value)));
    const login = await postJson(full.publicUrl, '/api/v1/auth/login', {
      email: full.subscriber.email,
      password: full.subscriber.password,
    });
    expect(login.status, 'signing in still works').to.equal(200);
    expect(({} as Record<string, unknown>).polluted, 'Object.prototype polluted').to.equal(undefined);
    expect(elapsedMs).to.be.greaterThan(0);
  });
});
