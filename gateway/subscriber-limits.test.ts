import fs from 'node:fs';
import { expect } from 'chai';
import { PRODUCTION_TYPES } from '../lib/entsoe/codes.js';
import { loadConfig } from '../lib/config/env.js';
import { startAccountStack, type AccountStack } from '../test/support/account-stack.js';
import { storeRows } from '../test/support/clickhouse-fixture.js';
import { seriesRows } from '../test/support/entsoe-fixture.js';
import { apiToken, signUp } from '../test/support/subscriber.js';
import { tempDir } from '../test/support/temp-dir.js';
import { SseClient } from './live/testing/sse-client.js';

const { maxRequestsPerSubscriber, maxStreamsPerSubscriber } = loadConfig({}).gateway;

/** A century and more of daily means of 16 production types: 795,000 values, a large but allowed answer. */
const NEAR_LIMIT = '/api/v1/generation?area=DE&from=1970-01-01&to=2106-01-01&resolution=P1D';
const SMALL = '/api/v1/load?area=DE&from=2022-01-01&to=2022-01-02';

async function until(done: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error('not within the time allowed');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('per-subscriber limits of the data routes', function () {
  this.timeout(240_000);
  let stack: AccountStack;
  let a: string;
  let b: string;
  let tmp: string;

  before(async () => {
    stack = await startAccountStack();
    // Granted through the stack's own broker: a second broker in this process would share its node id.
    const subscriber = async () => {
      const email = `limits-${Math.random().toString(36).slice(2, 10)}@example.com`;
      const browser = await signUp(stack.base, email, 'correct horse battery staple', stack.emailText);
      await stack.broker.call('accounts.grant', { email, days: 30, reason: 'test' });
      return apiToken(stack.base, browser);
    };
    a = await subscriber();
    b = await subscriber();
    const ch = await stack.ctx.clickhouse();
    tmp = tempDir();
    const day = { from: '2022-01-01 00:00', intervals: 96 };
    await storeRows(ch, stack.ctx.schema, 'load', seriesRows({ dataset: 'load', ...day }), tmp);
    await storeRows(
      ch,
      stack.ctx.schema,
      'generation',
      [...PRODUCTION_TYPES]
        .slice(0, 16)
        .flatMap((productionType) => seriesRows({ dataset: 'generation', productionType, ...day })),
      tmp,
    );
    await storeRows(
      ch,
      stack.ctx.schema,
      'flows',
      [
        ...seriesRows({
          dataset: 'flows',
          area: 'DE',
          inArea: 'FR',
          resolution: 'PT60M',
          ...day,
          intervals: 24,
        }),
        ...seriesRows({
          dataset: 'flows',
          area: 'FR',
          inArea: 'DE',
          resolution: 'PT60M',
          ...day,
          intervals: 24,
        }),
      ],
      tmp,
    );
  });

  after(async () => {
    await stack.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  const get = (token: string, path: string) =>
    fetch(`${stack.base}${path}`, { headers: { authorization: `Bearer ${token}` } });

  it('answers 429 with Retry-After beyond the requests in progress of one subscriber, never another', async () => {
    // Their answers are left unread: each request stays in progress until its answer is sent.
    const held = await Promise.all(
      Array.from({ length: maxRequestsPerSubscriber }, () => get(a, NEAR_LIMIT)),
    );
    expect(held.map((r) => r.status)).to.deep.equal(held.map(() => 200));
    const refused = await get(a, SMALL);
    expect(refused.status).to.equal(429);
    expect(refused.headers.get('retry-after')).to.equal('1');
    expect(((await refused.json()) as { code: string }).code).to.equal('TOO_MANY_REQUESTS');
    const other = await get(b, SMALL);
    expect(other.status).to.equal(200);
    await other.body?.cancel();
    for (const r of held) await r.body?.cancel();
    await until(async () => {
      const res = await get(a, SMALL);
      await res.body?.cancel();
      return res.status === 200;
    });
  });

  it('answers 429 beyond the open streams of one subscriber, never another', async () => {
    const stream = (token: string) =>
      SseClient.connect(`${stack.base}/api/v1/stream?dataset=load&area=DE&from=2022-01-01&to=2022-01-02`, {
        authorization: `Bearer ${token}`,
      });
    const open = await Promise.all(Array.from({ length: maxStreamsPerSubscriber }, () => stream(a)));
    try {
      expect(open.map((c) => c.res.statusCode)).to.deep.equal(open.map(() => 200));
      const refused = await stream(a);
      expect(refused.res.statusCode).to.equal(429);
      expect(refused.res.headers['retry-after']).to.equal('1');
      refused.close();
      const other = await stream(b);
      expect(other.res.statusCode).to.equal(200);
      other.close();
      open.pop()?.close();
      await until(async () => {
        const again = await stream(a);
        again.close();
        if (again.res.statusCode !== 200) return false;
        return true;
      });
    } finally {
      for (const c of open) c.close();
    }
  });

  it("answers another subscriber's small request promptly while one fires huge and over-limit requests", async () => {
    const huge = [
      // The request that once built 360 MB.
      ...Array.from(
        { length: 10 },
        () => '/api/v1/flows?area=DE&from=1970-01-01&to=9999-12-31&resolution=P1D',
      ),
      ...Array.from({ length: 10 }, () => NEAR_LIMIT),
      ...Array.from(
        { length: 10 },
        () => '/api/v1/load?area=DE&from=1970-01-01&to=2106-01-01&resolution=PT15M',
      ),
    ];
    const fired = Promise.all(
      huge.map(async (path) => {
        const res = await get(a, path);
        await res.arrayBuffer();
        return res.status;
      }),
    );
    await new Promise((r) => setTimeout(r, 100));
    const started = Date.now();
    const small = await get(b, SMALL);
    const waited = Date.now() - started;
    expect(small.status).to.equal(200);
    expect(((await small.json()) as { t: number[] }).t).to.have.length(96);
    // Generous: it is about not being queued behind minutes of others' work.
    expect(waited).to.be.below(5_000);
    const statuses = await fired;
    expect(
      statuses.every((s) => s === 200 || s === 400 || s === 429),
      String(statuses),
    ).to.equal(true);
  });
});
