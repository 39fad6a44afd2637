import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import type { ServiceBroker } from 'moleculer';
import { queryService } from '../../actors/query/query.service.js';
import { createBroker } from '../../actors/runtime/broker.js';
import { ProcessContext } from '../../actors/runtime/process-context.js';
import { testConfig } from '../../test/support/config.js';
import { EnergyLiveProcess, event } from '../../test/support/energylive-process.js';
import { entsoeFile, seriesRows } from '../../test/support/entsoe-fixture.js';
import { freePort, startNatsServer, type TestNatsServer } from '../../test/support/nats-server.js';
import { tempDir } from '../../test/support/temp-dir.js';

describe('energylive status: the last imports', function () {
  this.timeout(240_000);
  let nats: TestNatsServer | undefined;
  let dataDir: string;

  before(async () => {
    nats = await startNatsServer();
    dataDir = tempDir();
  });

  after(async () => {
    await nats?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  async function cli(env: Record<string, string>, ...args: string[]) {
    const p = new EnergyLiveProcess(args, { ...env, ENERGYLIVE_DATA_DIR: path.join(dataDir, 'cli') });
    const code = await p.exit();
    return { code, stdout: p.stdout, stderr: p.stderr };
  }

  it('lists them when the imports query is the first one a fresh query actor answers', async () => {
    const env = {
      ENERGYLIVE_DATA_DIR: path.join(dataDir, 'server'),
      NATS_URL: nats!.url,
      ENERGYLIVE_NAMESPACE: `status-fresh-${process.pid}`,
      ENERGYLIVE_HEALTH_PORT: 'off',
      LOG_LEVEL: 'info',
    };
    const file = path.join(dataDir, '2022_01_ActualTotalLoad_6.1.A.csv');
    fs.writeFileSync(
      file,
      entsoeFile(
        'load',
        'official',
        seriesRows({ dataset: 'load', from: '2022-01-01 00:00', intervals: 96 }),
      ),
    );
    const server = new EnergyLiveProcess(['start', '--services', 'importer,query'], env);
    try {
      await server.waitFor(event('started'));
      // The importer writes, but nothing has asked the query actor anything yet.
      const ingest = await cli(env, 'ingest', file);
      expect(ingest.code, ingest.stderr).to.equal(0);
      const status = await cli(env, 'status');
      expect(status.code, status.stderr).to.equal(0);
      expect(status.stdout, status.stdout).to.match(
        /Last import per dataset and month\n\s+load\s+2022-01\s+\S+\s+96 rows\s+96 changed\s+1 versions\s+2022_01_ActualTotalLoad_6\.1\.A\.csv/,
      );
    } finally {
      await server.kill();
    }
  });

  it('prints why the query actor could not read them', async () => {
    const namespace = `status-failing-${process.pid}`;
    // A query actor whose ClickHouse server does not answer: its imports query fails, it does not hang.
    const config = testConfig(nats!.url, path.join(dataDir, 'failing'), {
      ENERGYLIVE_NAMESPACE: namespace,
      CLICKHOUSE_URL: `http://127.0.0.1:${await freePort()}`,
    });
    const ctx = new ProcessContext(config);
    const broker: ServiceBroker = createBroker(config, { channels: false });
    broker.createService(queryService(ctx));
    await broker.start();
    try {
      const status = await cli(
        { NATS_URL: nats!.url, ENERGYLIVE_NAMESPACE: namespace, LOG_LEVEL: 'warn' },
        'status',
      );
      expect(status.stdout).to.match(/Last imports: the query actor failed: .*ECONNREFUSED/);
      expect(status.stdout).to.not.include('no query actor answers');
      expect(status.code).to.equal(1);
    } finally {
      await broker.stop();
      // Closing says again that ClickHouse could not be reached; NATS is closed all the same.
      await ctx.close().catch(async () => (await ctx.nats()).drain());
    }
  });
});
