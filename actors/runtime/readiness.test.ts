import { expect } from 'chai';
import { connect, type NatsConnection } from 'nats';
import { startRestartableNatsServer, type RestartableNatsServer } from '../../test/support/nats-server.js';
import { natsAnswers, Readiness } from './readiness.js';

const never = () => new Promise<boolean>(() => undefined);

async function timed<T>(work: Promise<T>): Promise<{ value: T; ms: number }> {
  const started = Date.now();
  const value = await work;
  return { value, ms: Date.now() - started };
}

describe('readiness checks', () => {
  it('answers each check; one that throws, rejects or says no fails alone', async () => {
    const readiness = new Readiness({
      up: () => true,
      asyncUp: () => Promise.resolve(true),
      down: () => false,
      throws: () => {
        throw new Error('no');
      },
      rejects: () => Promise.reject(new Error('no')),
    });
    expect(await readiness.run()).to.deep.equal({
      up: true,
      asyncUp: true,
      down: false,
      throws: false,
      rejects: false,
    });
  });

  it('counts a check that hangs as failed after its time limit, without holding the others', async () => {
    const readiness = new Readiness({ hangs: never, up: () => true }, 300);
    const { value, ms } = await timed(readiness.run());
    expect(value).to.deep.equal({ hangs: false, up: true });
    expect(ms).to.be.within(250, 1_000);
  });

  it('lets probes that arrive while a check runs share it, and tries afresh once it is given up', async () => {
    let calls = 0;
    let finish: (ok: boolean) => void = () => undefined;
    const readiness = new Readiness(
      {
        slow: () => {
          calls++;
          return new Promise<boolean>((resolve) => (finish = resolve));
        },
      },
      300,
    );
    const burst = [readiness.run(), readiness.run(), readiness.run()];
    expect(calls).to.equal(0);
    await new Promise((r) => setTimeout(r, 50));
    expect(calls).to.equal(1);
    finish(true);
    expect(await Promise.all(burst)).to.deep.equal([{ slow: true }, { slow: true }, { slow: true }]);

    const stuck = readiness.run();
    expect(await stuck).to.deep.equal({ slow: false });
    // The stuck check was given up: the next probe asks again instead of waiting on it forever.
    const next = readiness.run();
    await new Promise((r) => setTimeout(r, 50));
    expect(calls).to.equal(3);
    finish(true);
    expect(await next).to.deep.equal({ slow: true });
  });

  describe('a NATS connection', function () {
    this.timeout(30_000);
    let nats: RestartableNatsServer;
    let nc: NatsConnection;
    const readiness = () => new Readiness({ nats: () => natsAnswers(nc) });

    before(async () => {
      nats = await startRestartableNatsServer();
      nc = await connect({ servers: nats.url, maxReconnectAttempts: -1, reconnectTimeWait: 200 });
    });

    after(async () => {
      await nc.close();
      await nats.stop();
    });

    it('is not ready while it reconnects, though it is not closed, and ready again once back', async () => {
      expect(await readiness().run()).to.deep.equal({ nats: true });
      await nats.halt('SIGKILL');
      await new Promise((r) => setTimeout(r, 200));
      expect(nc.isClosed()).to.equal(false);
      const { value, ms } = await timed(readiness().run());
      expect(value).to.deep.equal({ nats: false });
      expect(ms).to.be.below(500);
      await nats.restart();
      const deadline = Date.now() + 10_000;
      while (!(await readiness().run()).nats) {
        expect(Date.now()).to.be.below(deadline);
        await new Promise((r) => setTimeout(r, 100));
      }
    });

    it('is not ready when its server hangs, after the time limit rather than when pings time out', async () => {
      expect(await readiness().run()).to.deep.equal({ nats: true });
      nats.freeze();
      try {
        const { value, ms } = await timed(new Readiness({ nats: () => natsAnswers(nc) }, 1_500).run());
        expect(value).to.deep.equal({ nats: false });
        expect(ms).to.be.within(1_400, 2_500);
      } finally {
        nats.thaw();
      }
      expect(await readiness().run()).to.deep.equal({ nats: true });
    });
  });
});
