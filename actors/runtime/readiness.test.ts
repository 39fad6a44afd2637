import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { expect } from 'chai';
import { connect, type NatsConnection } from 'nats';
import { EnergyLiveProcess, event } from '../../test/support/energylive-process.js';
import { testConfig } from '../../test/support/config.js';
import { createTestDatabase, TEST_POSTGRES_URL } from '../../test/support/postgres.js';
import { tempDir } from '../../test/support/temp-dir.js';
import {
  freePort,
  startNatsServer,
  startRestartableNatsServer,
  type RestartableNatsServer,
  type TestNatsServer,
} from '../../test/support/nats-server.js';
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

  it('lets probes that arrive while a check runs share it, and asks afresh once one is long overdue', async () => {
    let calls = 0;
    let finish: (ok: boolean) => void = () => undefined;
    const readiness = new Readiness(
      {
        slow: () => {
          calls++;
          return new Promise<boolean>((resolve) => (finish = resolve));
        },
      },
      30,
    );
    const burst = [readiness.run(), readiness.run(), readiness.run()];
    await new Promise((r) => setTimeout(r, 5));
    expect(calls).to.equal(1);
    finish(true);
    expect(await Promise.all(burst)).to.deep.equal([{ slow: true }, { slow: true }, { slow: true }]);

    // A check that never answers: the probes meanwhile fail at the limit and do not pile up more.
    expect(await readiness.run()).to.deep.equal({ slow: false });
    expect(await readiness.run()).to.deep.equal({ slow: false });
    expect(calls).to.equal(2);
    // Ten limits later it is given up: the next probe asks again, and gets the answer.
    await new Promise((r) => setTimeout(r, 300));
    const next = readiness.run();
    await new Promise((r) => setTimeout(r, 5));
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
        // A PONG the server sent just before it stopped may still be on its way.
        await new Promise((r) => setTimeout(r, 200));
        const { value, ms } = await timed(new Readiness({ nats: () => natsAnswers(nc) }, 1_500).run());
        expect(value).to.deep.equal({ nats: false });
        expect(ms).to.be.within(1_400, 2_500);
      } finally {
        nats.thaw();
      }
      expect(await readiness().run()).to.deep.equal({ nats: true });
    });
  });

  describe('a process whose accounts database goes away', function () {
    this.timeout(120_000);
    let nats: TestNatsServer | undefined;
    let database: { url: string; drop(): Promise<void> } | undefined;
    let proxy: TcpProxy | undefined;
    let accounts: EnergyLiveProcess | undefined;
    let dataDir: string;

    before(async () => {
      nats = await startNatsServer();
      database = await createTestDatabase();
      const target = new URL(TEST_POSTGRES_URL);
      proxy = await TcpProxy.start(target.hostname, Number(target.port || 5432));
      dataDir = tempDir();
    });

    after(async () => {
      await accounts?.kill('SIGKILL');
      proxy?.cut();
      await database?.drop();
      await nats?.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    });

    it('answers /readyz 503 within seconds of losing PostgreSQL, naming it, and 200 once it is back', async () => {
      const url = new URL(database!.url);
      url.port = String(proxy!.port);
      const healthPort = await freePort();
      accounts = new EnergyLiveProcess(['start', '--services', 'accounts'], {
        ENERGYLIVE_DATA_DIR: path.join(dataDir, 'data'),
        NATS_URL: nats!.url,
        ENERGYLIVE_NAMESPACE: testConfig(nats!.url, dataDir).namespace,
        DATABASE_URL: url.toString(),
        ENERGYLIVE_HEALTH_PORT: String(healthPort),
        LOG_LEVEL: 'info',
      });
      await accounts.waitFor(event('started'));
      const probe = async () => {
        const res = await fetch(`http://127.0.0.1:${healthPort}/readyz`, {
          signal: AbortSignal.timeout(3_000),
        });
        return {
          status: res.status,
          checks: ((await res.json()) as { checks: Record<string, boolean> }).checks,
        };
      };
      const becomes = async (status: number, withinMs: number) => {
        const deadline = Date.now() + withinMs;
        for (;;) {
          const answer = await probe();
          if (answer.status === status) return answer;
          expect(Date.now(), `still ${answer.status}`).to.be.below(deadline);
          await new Promise((r) => setTimeout(r, 200));
        }
      };
      expect((await becomes(200, 10_000)).checks).to.include({ accountsDb: true, nats: true });
      proxy!.cut();
      const down = await becomes(503, 5_000);
      expect(down.checks).to.include({ accountsDb: false, nats: true });
      await proxy!.restore();
      await becomes(200, 10_000);

      // A database that swallows requests: the check fails at its limit, the probe does not hang.
      proxy!.freeze();
      const started = Date.now();
      expect((await becomes(503, 5_000)).checks).to.include({ accountsDb: false });
      expect(Date.now() - started).to.be.below(3_000);
      await proxy!.restore();
      await becomes(200, 20_000);
    });
  });
});

/** A TCP forwarder whose connections the test can cut (and refuse new ones) and then let through again. */
class TcpProxy {
  private readonly sockets = new Set<net.Socket>();
  private server: net.Server | undefined;
  /** While frozen: connections accepted and never answered. */
  private held: Set<net.Socket> | undefined;

  private constructor(
    readonly port: number,
    private readonly host: string,
    private readonly targetPort: number,
  ) {}

  static async start(host: string, targetPort: number): Promise<TcpProxy> {
    const proxy = new TcpProxy(await freePort(), host, targetPort);
    await proxy.restore();
    return proxy;
  }

  async restore(): Promise<void> {
    this.cut();
    const server = net.createServer((client) => {
      if (this.held) {
        this.held.add(client);
        client.on('error', () => undefined);
        return;
      }
      const upstream = net.connect(this.targetPort, this.host);
      for (const [a, b] of [
        [client, upstream],
        [upstream, client],
      ] as const) {
        this.sockets.add(a);
        a.on('error', () => b.destroy());
        a.on('close', () => {
          this.sockets.delete(a);
          b.destroy();
        });
        a.pipe(b);
      }
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.server = server;
  }

  /** Like a database that went down: open connections end, new ones are refused. */
  cut(): void {
    this.server?.close();
    this.server = undefined;
    for (const s of [...this.sockets, ...(this.held ?? [])]) s.destroy();
    this.held = undefined;
  }

  /** Like a network that drops everything: open connections go silent, new ones are never answered. */
  freeze(): void {
    this.held = new Set();
    for (const s of this.sockets) {
      s.unpipe();
      s.pause();
      this.held.add(s);
    }
  }
}
