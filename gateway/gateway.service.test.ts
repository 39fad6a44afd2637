import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { expect } from 'chai';
import { startAccountStack, type AccountStack } from '../test/support/account-stack.js';
import { EnergyLiveProcess, event } from '../test/support/energylive-process.js';
import { startGoogleStandin, type GoogleStandin } from '../test/support/google-standin.js';
import { expectJsonRefusals } from '../test/support/malformed-requests.js';
import { freePort, startNatsServer, type TestNatsServer } from '../test/support/nats-server.js';
import { requestHead, sendRaw } from '../test/support/raw-http.js';
import { apiToken, signUp, type Browser } from '../test/support/subscriber.js';
import { testConfig } from '../test/support/config.js';
import { tempDir } from '../test/support/temp-dir.js';
import { OPENAPI } from './openapi.js';

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A raw request, so any method goes out as written (fetch refuses TRACE and CONNECT). */
function request(
  base: string,
  method: string,
  target: string,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, method, path: target, headers }, (res) => {
      const chunks: Buffer[] = [];
      // An event stream never ends by itself: its headers and first bytes are enough.
      if (method !== 'HEAD' && res.headers['content-type']?.startsWith('text/event-stream')) {
        res.once('data', () => {
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: '' });
          req.destroy();
        });
        return;
      }
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString(),
        });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

/** Every documented route with its documented methods, the probes, the stream and pages of the web app. */
function routes(): { method: string; path: string }[] {
  const documented = Object.entries(OPENAPI.paths).flatMap(([p, operations]) =>
    Object.keys(operations as object).map((method) => ({
      method: method.toUpperCase(),
      path: p.replace('{id}', '00000000-0000-0000-0000-000000000000'),
    })),
  );
  return [
    ...documented,
    { method: 'GET', path: '/healthz' },
    { method: 'GET', path: '/readyz' },
    { method: 'GET', path: '/api/v1/openapi.json' },
    { method: 'GET', path: '/' },
    { method: 'GET', path: '/app' },
    { method: 'GET', path: '/assets/missing.js' },
    { method: 'GET', path: '/api/v1/nothing' },
  ];
}

const STREAM = '/api/v1/stream?dataset=load&area=DE&from=2022-01-01&to=2022-01-02&resolution=PT60M';
const DAY = 'from=2022-01-01&to=2022-01-02';

/** Every GET route, with parameters it takes (an answer of data, not only its 400) and without. */
function readTargets(): string[] {
  return [
    '/api/v1/areas?dataset=load',
    '/api/v1/freshness?dataset=load',
    '/api/v1/types?area=DE',
    '/api/v1/borders?area=DE',
    `/api/v1/load?area=DE&${DAY}`,
    `/api/v1/load?area=DE&${DAY}&format=csv`,
    `/api/v1/generation?area=DE&${DAY}&resolution=PT60M`,
    `/api/v1/flows?area=DE&in=FR&${DAY}`,
    `/api/v1/stats?dataset=load&area=DE&${DAY}`,
    STREAM,
    ...routes()
      .filter((r) => r.method === 'GET')
      .map((r) => r.path),
  ];
}

/** A HEAD on a connection kept open, once its answer's head has come. */
function headKeptOpen(port: number, target: string, headers: [string, string][]) {
  return new Promise<{ status: number; head: string; socket: net.Socket }>((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let received = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`HEAD ${target}: no answer within 10 s`));
    }, 10_000);
    socket.on('data', (data: Buffer) => {
      received += data.toString('latin1');
      if (!received.includes('\r\n\r\n')) return;
      clearTimeout(timer);
      resolve({ status: Number(received.slice(9, 12)), head: received, socket });
    });
    socket.on('error', reject);
    socket.write(requestHead('HEAD', Buffer.from(target), [['Host', 'localhost'], ...headers]));
  });
}

describe('gateway service: headers and methods on every route', function () {
  this.timeout(120_000);
  let stack: AccountStack | undefined;
  let google: GoogleStandin | undefined;
  let auth: Record<string, string> = {};
  let browser: Browser;

  before(async () => {
    // Google sign-in configured, so its routes are there to be asked.
    const redirectUris: string[] = [];
    google = await startGoogleStandin({ redirectUris });
    stack = await startAccountStack({
      ENERGYLIVE_TRUST_PROXY: 'true',
      GOOGLE_CLIENT_ID: google.clientId,
      GOOGLE_CLIENT_SECRET: google.clientSecret,
      GOOGLE_ISSUER: google.issuer,
    });
    redirectUris.push(`${stack.base}/api/v1/auth/connect/google/callback`);
    // Granted through the stack's own broker: a second one in this process would share its node id.
    const email = 'headers@example.com';
    browser = await signUp(stack.base, email, 'correct horse battery staple', stack.emailText);
    await stack.broker.call('accounts.grant', { email, days: 30, reason: 'test' });
    const token = await apiToken(stack.base, browser);
    auth = { authorization: `Bearer ${token}` };
  });

  after(async () => {
    await stack?.stop();
    await google?.close();
  });

  const port = () => Number(new URL(stack!.base).port);

  it('answers every route, and the stream, with X-Content-Type-Options: nosniff', async () => {
    const base = stack!.base;
    const answers: { route: string; status: number; nosniff: unknown }[] = [];
    for (const { method, path: p } of routes()) {
      const a = await request(base, method, p, { accept: 'text/html', ...auth });
      answers.push({
        route: `${method} ${p}`,
        status: a.status,
        nosniff: a.headers['x-content-type-options'],
      });
    }
    const stream = await request(base, 'GET', STREAM, { accept: 'text/event-stream', ...auth });
    expect(stream.status).to.equal(200);
    answers.push({
      route: 'GET stream',
      status: stream.status,
      nosniff: stream.headers['x-content-type-options'],
    });
    expect(answers.filter((a) => a.nosniff !== 'nosniff')).to.deep.equal([]);
    expect(answers.length).to.be.greaterThan(30);
  });

  it('sends HSTS only on answers that came over HTTPS (behind the trusted proxy)', async () => {
    const base = stack!.base;
    const plain = await request(base, 'GET', '/api/v1/areas?dataset=load', auth);
    expect(plain.headers['strict-transport-security']).to.equal(undefined);
    for (const p of ['/api/v1/areas?dataset=load', '/api/v1/nothing', '/']) {
      const secure = await request(base, 'GET', p, { ...auth, 'x-forwarded-proto': 'https' });
      expect(secure.headers['strict-transport-security'], p).to.equal('max-age=31536000');
    }
  });

  it('does not serve /metrics on the public port', async () => {
    for (const accept of ['text/plain', 'text/html']) {
      const a = await request(stack!.base, 'GET', '/metrics', { accept });
      expect(a.status, accept).to.equal(404);
      expect(JSON.parse(a.body)).to.deep.equal({ error: 'not found' });
    }
  });

  it('answers methods a route does not take, and methods no route takes, 405 in JSON with Allow', async () => {
    const base = stack!.base;
    const wrong: string[] = [];
    for (const { path: p } of routes()) {
      if (p === '/api/v1/nothing') continue;
      for (const method of ['TRACE', 'PROPFIND', 'MKCOL', 'PATCH']) {
        const a = await request(base, method, p, auth);
        let body: unknown;
        try {
          body = JSON.parse(a.body);
        } catch {
          body = a.body;
        }
        const ok =
          a.status === 405 &&
          /^application\/json/.test(a.headers['content-type'] ?? '') &&
          typeof a.headers.allow === 'string' &&
          a.headers.allow.length > 0 &&
          (body as { code?: unknown }).code === 'METHOD_NOT_ALLOWED';
        if (!ok)
          wrong.push(`${method} ${p}: ${a.status} ${a.headers['content-type'] ?? ''} ${a.body.slice(0, 80)}`);
      }
    }
    const stream = await request(base, 'TRACE', STREAM, auth);
    if (stream.status !== 405) wrong.push(`TRACE stream: ${stream.status}`);
    expect(wrong).to.deep.equal([]);
    const page = await request(base, 'POST', '/app');
    expect(page.status).to.equal(405);
    expect(page.headers.allow).to.equal('GET, HEAD');
    // A method the path does not exist for at all stays a 404.
    expect((await request(base, 'TRACE', '/api/v1/nothing')).status).to.equal(404);
  });

  it('answers a wrong method on the Google sign-in paths 405 in JSON with Allow: GET, HEAD', async () => {
    const wrong: string[] = [];
    for (const p of [
      '/api/v1/auth/google/status',
      '/api/v1/auth/connect/google',
      '/api/v1/auth/connect/google/callback',
      '/api/v1/auth/google/callback',
    ]) {
      for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'TRACE']) {
        const a = await request(stack!.base, method, p, { origin: stack!.base });
        if (
          a.status !== 405 ||
          a.headers.allow !== 'HEAD, GET' ||
          !/^application\/json/.test(a.headers['content-type'] ?? '') ||
          (JSON.parse(a.body || '{}') as { code?: unknown }).code !== 'METHOD_NOT_ALLOWED'
        )
          wrong.push(`${method} ${p}: ${a.status} ${a.headers.allow ?? ''} ${a.body.slice(0, 80)}`);
      }
    }
    expect(wrong).to.deep.equal([]);
  });

  it('answers HEAD on every GET route at once, as GET does but without a body', async () => {
    const wrong: string[] = [];
    for (const target of readTargets()) {
      const got = await request(stack!.base, 'GET', target, auth);
      const head = await sendRaw(
        port(),
        {
          head: requestHead('HEAD', Buffer.from(target), [
            ['Host', 'localhost'],
            ['Authorization', auth.authorization ?? ''],
            ['Connection', 'close'],
          ]),
        },
        { timeoutMs: 10_000 },
      );
      const res = head.response;
      const of = (name: string) => res?.headers.find(([n]) => n === name)?.[1];
      const same =
        res?.status === got.status &&
        of('content-type') === got.headers['content-type'] &&
        of('content-disposition') === got.headers['content-disposition'] &&
        of('x-content-type-options') === 'nosniff' &&
        res.body.length === 0;
      if (!same)
        wrong.push(
          `HEAD ${target}: ${res ? `${res.status} ${of('content-type') ?? ''}` : (head.error ?? '')}; GET ${got.status} ${got.headers['content-type'] ?? ''}`,
        );
    }
    expect(wrong).to.deep.equal([]);
  });

  it('answers HEAD on the stream with a session or a token at once, with no session and no stream slot taken', async () => {
    const { maxStreamsPerSubscriber } = stack!.ctx.config.gateway;
    const sessions = async () =>
      (await stack!.ctx.metrics.registry.getSingleMetric('energylive_gateway_sse_sessions')?.get())?.values[0]
        ?.value;
    const open: net.Socket[] = [];
    try {
      for (let i = 0; i <= maxStreamsPerSubscriber; i++) {
        const credentials: [string, string] =
          i % 2 === 0 ? ['Cookie', browser.cookie] : ['Authorization', auth.authorization ?? ''];
        const head = await headKeptOpen(port(), STREAM, [credentials]);
        open.push(head.socket);
        expect(head.status, head.head).to.equal(200);
        expect(head.head).to.match(/\r\ncontent-type: text\/event-stream; charset=utf-8\r\n/i);
        expect(head.head).to.match(/\r\ncache-control: no-cache\r\n/i);
        expect(head.head).to.match(/\r\nx-content-type-options: nosniff\r\n/i);
      }
      expect(await sessions()).to.equal(0);
      const stream = await request(stack!.base, 'GET', STREAM, { accept: 'text/event-stream', ...auth });
      expect(stream.status).to.equal(200);
    } finally {
      for (const socket of open) socket.destroy();
    }
  });

  it('treats API paths as case-sensitive: an upper-case one is an unknown path, never an API answer', async () => {
    for (const headers of [auth, { cookie: browser.cookie }, {}]) {
      for (const path of [
        '/API/V1/LOAD?area=DE&from=2022-01-01&to=2022-01-02',
        '/Api/v1/me',
        '/api/V1/areas?dataset=load',
      ]) {
        const res = await request(stack!.base, 'GET', path, {
          accept: 'text/html,application/json',
          ...headers,
        });
        expect(res.status, path).to.equal(404);
        expect(res.headers['content-type'], path).to.match(/^application\/json/);
      }
    }
  });

  it("answers requests that Node's HTTP parser refuses with a JSON error, not an empty answer", async () => {
    await expectJsonRefusals(port(), '/api/v1/areas');
  });

  it('answers a request whose body the parser cannot frame with a JSON 400, although its route has begun', async () => {
    const outcome = await sendRaw(
      port(),
      {
        head: requestHead('GET', Buffer.from('/api/v1/areas?dataset=load'), [
          ['Host', 'localhost'],
          ['Authorization', auth.authorization ?? ''],
          ['Transfer-Encoding', 'x'],
          ['Connection', 'close'],
        ]),
      },
      { timeoutMs: 10_000 },
    );
    const res = outcome.response;
    expect(res?.status, outcome.error).to.equal(400);
    expect(res?.headers).to.deep.include(['content-type', 'application/json; charset=utf-8']);
    expect(JSON.parse(res?.body.toString('utf8') ?? '')).to.have.property('code', 'MALFORMED_REQUEST');
  });

  it('answers nothing to a malformed request pipelined behind one in flight, so its answer is not taken for that one', async () => {
    const outcome = await sendRaw(
      port(),
      {
        head: Buffer.from(
          'GET /readyz HTTP/1.1\r\nHost: localhost\r\n\r\nFOO /api/v1/areas HTTP/1.1\r\nHost: localhost\r\n\r\n',
          'latin1',
        ),
      },
      { timeoutMs: 10_000 },
    );
    if (outcome.response) expect(outcome.response.status).to.be.oneOf([200, 503]);
    // The gateway goes on serving.
    expect((await request(stack!.base, 'GET', '/healthz')).status).to.equal(200);
  });
});

describe('gateway process: request metrics on the health port', function () {
  this.timeout(120_000);
  let nats: TestNatsServer | undefined;
  let gateway: EnergyLiveProcess | undefined;
  let dataDir: string;

  before(async () => {
    nats = await startNatsServer();
    dataDir = tempDir();
  });

  after(async () => {
    await gateway?.kill('SIGKILL');
    await nats?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('counts the gateway requests in the /metrics of the health port, and only there', async () => {
    const [gatewayPort, healthPort] = [await freePort(), await freePort()];
    gateway = new EnergyLiveProcess(['start', '--services', 'gateway'], {
      ENERGYLIVE_DATA_DIR: path.join(dataDir, 'data'),
      NATS_URL: nats!.url,
      ENERGYLIVE_NAMESPACE: testConfig(nats!.url, dataDir).namespace,
      ENERGYLIVE_GATEWAY_PORT: String(gatewayPort),
      ENERGYLIVE_GATEWAY_HOST: '127.0.0.1',
      ENERGYLIVE_HEALTH_PORT: String(healthPort),
      LOG_LEVEL: 'info',
    });
    await gateway.waitFor(event('started'));
    const base = `http://127.0.0.1:${gatewayPort}`;
    expect((await fetch(`${base}/api/v1/openapi.json`)).status).to.equal(200);
    expect((await fetch(`${base}/metrics`)).status).to.equal(404);
    const metrics = await (await fetch(`http://127.0.0.1:${healthPort}/metrics`)).text();
    expect(metrics).to.match(
      /^energylive_gateway_request_seconds_count\{method="GET",route="\/api\/v1\/openapi\.json",status="200"\} 1$/m,
    );
  });
});
