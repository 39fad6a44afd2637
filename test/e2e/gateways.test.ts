import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { expect } from 'chai';
import { connect, type NatsConnection } from 'nats';
import { SseClient } from '../../gateway/live/testing/sse-client.js';
import { publishFile } from '../../lib/pipeline/publish-file.js';
import { BUCKETS } from '../../lib/pipeline/subjects.js';
import { openNatsFileStore } from '../../lib/storage/nats-file-store.js';
import type { ColumnarSeries } from '../../lib/query/series-request.js';
import { testConfig } from '../support/config.js';
import { EnergyLiveProcess, event } from '../support/energylive-process.js';
import { entsoeFile, seriesRows, type FixtureRow } from '../support/entsoe-fixture.js';
import { freePort, startNatsServer, type TestNatsServer } from '../support/nats-server.js';
import { tempDir } from '../support/temp-dir.js';
import { subscriberToken } from '../support/subscriber.js';

/**
 * The deployment shape of several gateways behind a load balancer: the importer and query actors in one
 * process, two gateway processes apart, all on one NATS. A browser on either gateway gets the same update
 * with the same id, and a client that moves to the other gateway resumes where it left off.
 */
describe('two gateway processes behind a load balancer', function () {
  this.timeout(180_000);
  let nats: TestNatsServer | undefined;
  let nc: NatsConnection | undefined;
  let dataDir: string;
  const processes: EnergyLiveProcess[] = [];
  const clients: SseClient[] = [];
  const ports: number[] = [];
  let auth: Record<string, string> = {};
  const rows = seriesRows({
    dataset: 'load',
    area: 'DE',
    resolution: 'PT60M',
    from: '2022-01-01 00:00',
    intervals: 48,
  });

  async function ingest(fileRows: FixtureRow[]) {
    const store = await openNatsFileStore(nc!, BUCKETS.files);
    await publishFile(
      Readable.from([entsoeFile('load', 'official', fileRows)]),
      { kind: 'test', name: '2022_01_ActualTotalLoad_6.1.A.csv', key: 'x', version: String(Date.now()) },
      { js: nc!.jetstream(), store, tmpDir: path.join(dataDir, 'tmp') },
    );
  }

  before(async () => {
    nats = await startNatsServer();
    nc = await connect({ servers: nats.url });
    dataDir = tempDir();
    const config = testConfig(nats.url, dataDir);
    const env = (extra: Record<string, string>) => ({
      NATS_URL: nats!.url,
      ENERGYLIVE_NAMESPACE: config.namespace,
      ENERGYLIVE_HEALTH_PORT: 'off',
      LOG_LEVEL: 'info',
      ENERGYLIVE_GATEWAY_HOST: '127.0.0.1',
      ...extra,
    });
    const data = new EnergyLiveProcess(
      ['start', '--services', 'importer,query,accounts'],
      env({ ENERGYLIVE_DATA_DIR: path.join(dataDir, 'data') }),
    );
    processes.push(data);
    await data.waitFor(event('started'));
    for (let i = 0; i < 2; i++) {
      const port = await freePort();
      ports.push(port);
      const gateway = new EnergyLiveProcess(
        ['start', '--services', 'gateway'],
        env({ ENERGYLIVE_DATA_DIR: path.join(dataDir, `gw${i}`), ENERGYLIVE_GATEWAY_PORT: String(port) }),
      );
      processes.push(gateway);
      await gateway.waitFor(event('gateway_listening'));
    }
    const token = await subscriberToken({
      base: `http://127.0.0.1:${ports[0] ?? 0}`,
      natsUrl: nats.url,
      namespace: config.namespace,
      emailText: async (to) => String((await data.waitFor((l) => l.event === 'email' && l.to === to)).text),
    });
    auth = { authorization: `Bearer ${token}` };
    await ingest(rows);
    await data.waitFor(event('import_done'));
  });

  after(async () => {
    for (const c of clients) c.close();
    for (const p of processes) await p.kill();
    await nc?.close();
    await nats?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const stream = (port: number) =>
    `http://127.0.0.1:${port}/api/v1/stream?dataset=load&area=DE&from=2022-01-01&to=2022-01-02&resolution=PT60M`;

  it('both gateways serve the data and deliver the same update with the same id', async () => {
    for (const port of ports) {
      const res = await fetch(
        `http://127.0.0.1:${port}/api/v1/load?area=DE&from=2022-01-01&to=2022-01-01T03:00Z`,
        { headers: auth },
      );
      expect(((await res.json()) as ColumnarSeries).series[0]?.values).to.deep.equal(
        rows.slice(0, 3).map((r) => Number(r.value)),
      );
    }
    const [a, b] = await Promise.all(ports.map((port) => SseClient.connect(stream(port), auth)));
    clients.push(a!, b!);
    await Promise.all([a!.ready(), b!.ready()]);
    const corrected = rows.map((r, i) =>
      i === 5 ? { ...r, value: '7.00', updated: '2022-01-03 00:00:00' } : r,
    );
    await ingest(corrected);
    const updates = (c: SseClient) => c.events.filter((e) => e.event === 'update');
    await Promise.all([
      a!.waitFor((c) => updates(c).length > 0, 30_000),
      b!.waitFor((c) => updates(c).length > 0, 30_000),
    ]);
    const [ua, ub] = [updates(a!)[0], updates(b!)[0]];
    expect(ua?.id).to.equal(ub?.id);
    expect(ua?.data).to.equal(ub?.data);
    const update = JSON.parse(ua?.data ?? '{}') as ColumnarSeries;
    expect(update.t).to.deep.equal([Date.UTC(2022, 0, 1, 5) / 1000]);
    expect(update.series).to.deep.equal([{ name: 'DE', values: [7] }]);
  });

  it('a client that moves to the other gateway resumes with Last-Event-ID and misses nothing', async () => {
    const first = await SseClient.connect(stream(ports[0]!), auth);
    clients.push(first);
    const ready = await first.ready();
    first.close();
    // While the client is away, another correction is imported.
    await ingest(
      rows.map((r, i) =>
        i === 5
          ? { ...r, value: '7.00', updated: '2022-01-03 00:00:00' }
          : i === 9
            ? { ...r, value: '9.00', updated: '2022-01-04 00:00:00' }
            : r,
      ),
    );
    const moved = await SseClient.connect(stream(ports[1]!), { ...auth, 'Last-Event-ID': ready.id ?? '' });
    clients.push(moved);
    await moved.waitFor((c) => c.events.some((e) => e.event === 'update'), 30_000);
    const update = JSON.parse(moved.events.find((e) => e.event === 'update')?.data ?? '{}') as ColumnarSeries;
    expect(update.t).to.deep.equal([Date.UTC(2022, 0, 1, 9) / 1000]);
    expect(update.series).to.deep.equal([{ name: 'DE', values: [9] }]);
  });
});
