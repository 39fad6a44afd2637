import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { Readable } from 'node:stream';
import { expect } from 'chai';
import { connect, type NatsConnection } from 'nats';
import type { ServiceBroker } from 'moleculer';
import { Registry } from 'prom-client';
import type { ClickHouse } from '../../lib/clickhouse/connection.js';
import { listen } from '../../lib/net/listen.js';
import { publishFile } from '../../lib/pipeline/publish-file.js';
import { subjects } from '../../lib/pipeline/subjects.js';
import { createGatewayApp } from '../../gateway/app.js';
import { brokerQueryClient } from '../../gateway/query-client.js';
import { testConfig } from '../../test/support/config.js';
import { entsoeFile, seriesRows } from '../../test/support/entsoe-fixture.js';
import { startNatsServer, type TestNatsServer } from '../../test/support/nats-server.js';
import { tempDir } from '../../test/support/temp-dir.js';
import { importerService } from '../importer/importer.service.js';
import { createBroker } from '../runtime/broker.js';
import { ProcessContext } from '../runtime/process-context.js';
import { queryService } from './query.service.js';

/** The process's ClickHouse, keeping the text of every query sent through it. */
function recording(ch: ClickHouse, queries: string[]): ClickHouse {
  const client = new Proxy(ch.client, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property);
      if (typeof value !== 'function') return value;
      const method = (value as (params: { query?: string }) => unknown).bind(target);
      return (params: { query?: string }) => {
        if (typeof params.query === 'string') queries.push(params.query);
        return method(params);
      };
    },
  });
  return { ...ch, client };
}

describe('areas and freshness of the query actor', function () {
  this.timeout(180_000);
  let nats: TestNatsServer | undefined;
  let dataDir: string;
  let ctx: ProcessContext | undefined;
  let broker: ServiceBroker | undefined;
  let nc: NatsConnection | undefined;
  let server: http.Server | undefined;
  let base: string;
  const queries: string[] = [];
  /** The queries that list a dataset's areas: each reads the whole table. */
  const areaScans = () => queries.filter((q) => q.includes('groupUniqArray(resolution)')).length;

  before(async () => {
    nats = await startNatsServer();
    dataDir = tempDir();
    const config = testConfig(nats.url, dataDir);
    ctx = new ProcessContext(config);
    const open = ctx.clickhouse.bind(ctx);
    ctx.clickhouse = async () => recording(await open(), queries);
    await ctx.nats();
    broker = createBroker(config);
    broker.createService(importerService(ctx, 'load'));
    broker.createService(queryService(ctx));
    await broker.start();
    nc = await connect({ servers: nats.url });
    const app = createGatewayApp({
      query: brokerQueryClient(broker),
      registry: new Registry(),
      ready: () => Promise.resolve({}),
      logger: { error: () => undefined, warn: () => undefined },
    });
    const handle = app.callback();
    server = http.createServer((req, res) => {
      void handle(req, res);
    });
    base = (await listen(server, 0, '127.0.0.1')).url;
  });

  after(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    await nc?.close();
    await broker?.stop();
    await ctx?.close();
    await nats?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  /** Publishes a month of DE load as a parser would and waits for its "import done". */
  async function importMonth(month: string, from: string, intervals: number): Promise<void> {
    const sub = nc!.subscribe(subjects.importDone('load', month), { max: 1, timeout: 60_000 });
    const name = `${month.replace('-', '_')}_ActualTotalLoad_6.1.A.csv`;
    await publishFile(
      Readable.from([entsoeFile('load', 'official', seriesRows({ dataset: 'load', from, intervals }))]),
      { kind: 'test', name, key: name, version: '1' },
      { js: nc!.jetstream(), store: await ctx!.fileStore(), tmpDir: path.join(dataDir, 'tmp') },
    );
    for await (const m of sub) expect(m.subject).to.equal(subjects.importDone('load', month));
  }

  const lastOf = async (route: string): Promise<number | undefined> => {
    const body = (await (await fetch(`${base}/api/v1/${route}?dataset=load`)).json()) as {
      areas: { area: string; last: number }[];
    };
    return body.areas.find((a) => a.area === 'DE')?.last;
  };

  it('reads the table once for any number of calls, and again after each import', async () => {
    await importMonth('2022-01', '2022-01-01 00:00', 96);
    const january = Date.UTC(2022, 0, 1, 23, 45) / 1000;
    for (let i = 0; i < 3; i++) {
      expect(await lastOf('areas')).to.equal(january);
      expect(await lastOf('freshness')).to.equal(january);
    }
    expect(areaScans()).to.equal(1);

    await importMonth('2022-02', '2022-02-01 00:00', 96 * 2);
    const february = Date.UTC(2022, 1, 2, 23, 45) / 1000;
    // The import's event reaches the query actor moments after the test's own subscription.
    const deadline = Date.now() + 10_000;
    while ((await lastOf('areas')) !== february && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    expect(await lastOf('areas')).to.equal(february);
    expect(await lastOf('freshness')).to.equal(february);
    expect(areaScans()).to.equal(2);
  });
});
