import fs from 'node:fs';
import { expect } from 'chai';
import { connect, type NatsConnection } from 'nats';
import type { ServiceBroker } from 'moleculer';
import type { PollResult } from '../../lib/sources/poller.js';
import type { FileReady } from '../../lib/pipeline/messages.js';
import { STREAMS, subjects } from '../../lib/pipeline/subjects.js';
import { FmsStandin } from '../../lib/sources/fms-standin.js';
import { createBroker } from '../runtime/broker.js';
import { ProcessContext } from '../runtime/process-context.js';
import { freePort, startNatsServer, type TestNatsServer } from '../../test/support/nats-server.js';
import { tempDir } from '../../test/support/temp-dir.js';
import { testConfig } from '../../test/support/config.js';
import { entsoeFile, seriesRows } from '../../test/support/entsoe-fixture.js';
import { parserService } from './parser.service.js';

/** The parser actor against each kind of source it can be configured with, end to end to JetStream. */
describe('parser actor sources', function () {
  this.timeout(120_000);
  let nats: TestNatsServer | undefined;
  let nc: NatsConnection | undefined;
  const cleanup: (() => Promise<void> | void)[] = [];

  before(async () => {
    nats = await startNatsServer();
    nc = await connect({ servers: nats.url });
  });

  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  after(async () => {
    await nc?.close();
    await nats?.stop();
  });

  async function runParser(
    env: Record<string, string>,
    dataset: 'load' | 'generation',
  ): Promise<ServiceBroker> {
    const dataDir = tempDir();
    const config = testConfig(nats!.url, dataDir, { ENERGYLIVE_POLL_INTERVAL: '3600', ...env });
    const ctx = new ProcessContext(config);
    const broker = createBroker(config, { channels: false });
    broker.createService(parserService(ctx, dataset));
    cleanup.push(() => {
      fs.rmSync(dataDir, { recursive: true, force: true });
    });
    cleanup.push(() => ctx.close());
    cleanup.push(() => broker.stop());
    await broker.start();
    return broker;
  }

  async function lastFileReady(dataset: 'load' | 'generation', month: string): Promise<FileReady> {
    const jsm = await nc!.jetstreamManager();
    return (
      await jsm.streams.getMessage(STREAMS.files, { last_by_subj: subjects.fileReady(dataset, month) })
    ).json<FileReady>();
  }

  it('reads r3 files from the File Library (token, listing, zip download) and publishes them', async () => {
    const standin = await FmsStandin.start({ username: 'operator@example.org', password: 'secret' });
    cleanup.push(() => standin.close());
    const rows = seriesRows({
      dataset: 'load',
      areaType: 'BZN/CTA/CTY',
      from: '2025-11-01 00:00',
      intervals: 24,
    });
    standin.setFile(
      'ActualTotalLoad_6.1.A_r3',
      '2025_11_ActualTotalLoad_6.1.A_r3.csv',
      entsoeFile('load', 'r3', rows),
      '2025-11-02T00:00:00Z',
    );
    const broker = await runParser(
      {
        ENTSOE_FMS_USERNAME: standin.username,
        ENTSOE_FMS_PASSWORD: standin.password,
        ENTSOE_FMS_URL: standin.url,
        ENTSOE_FMS_TOKEN_URL: standin.tokenUrl,
      },
      'load',
    );
    await broker.call<PollResult>('parser-load.poll');
    const ready = await lastFileReady('load', '2025-11');
    expect(ready).to.include({ layout: 'r3', rows: 24 });
    expect(ready.source).to.include({
      kind: 'fms',
      name: '2025_11_ActualTotalLoad_6.1.A_r3.csv',
      version: '2025-11-02T00:00:00Z',
    });
  });

  it('with no credentials, serves and reads the demo files over FTP', async () => {
    const port = await freePort();
    const broker = await runParser(
      {
        ENERGYLIVE_SOURCE: 'demo',
        ENERGYLIVE_DEMO_FTP_PORT: String(port),
        ENERGYLIVE_DEMO_MONTHS: '0',
        ENERGYLIVE_DEMO_STEP: '3600',
      },
      'load',
    );
    await broker.call<PollResult>('parser-load.poll');
    const month = new Date().toISOString().slice(0, 7);
    const ready = await lastFileReady('load', month);
    expect(ready.layout).to.equal('official');
    expect(ready.rows).to.be.greaterThan(0);
    expect(ready.rejected).to.deep.equal({});
    expect(ready.source).to.include({ kind: 'ftp' });
  });
});
