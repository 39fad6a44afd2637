import fs from 'node:fs';
import http from 'node:http';
import { expect } from 'chai';
import type { ServiceBroker } from 'moleculer';
import { Registry } from 'prom-client';
import { createBroker } from '../actors/runtime/broker.js';
import { ProcessContext } from '../actors/runtime/process-context.js';
import { queryService } from '../actors/query/query.service.js';
import { listen } from '../lib/net/listen.js';
import type { ColumnarSeries } from '../lib/query/series-request.js';
import { testConfig } from '../test/support/config.js';
import { seriesRows, type FixtureRow } from '../test/support/entsoe-fixture.js';
import { startNatsServer, type TestNatsServer } from '../test/support/nats-server.js';
import { tempDir } from '../test/support/temp-dir.js';
import type { DatasetName } from '../lib/config/env.js';
import { createGatewayApp } from './app.js';
import { brokerQueryClient, type QueryClient } from './query-client.js';
import { storeRows } from '../test/support/clickhouse-fixture.js';

describe('gateway REST API', function () {
  this.timeout(120_000);
  let nats: TestNatsServer | undefined;
  let dataDir: string;
  let ctx: ProcessContext | undefined;
  let broker: ServiceBroker | undefined;
  let server: http.Server | undefined;
  let base: string;
  const registry = new Registry();
  const load = seriesRows({
    dataset: 'load',
    area: 'DE',
    from: '2022-01-01 00:00',
    intervals: 96,
    value: (i) => 50000 + i,
  });
  const solar = seriesRows({
    dataset: 'generation',
    area: 'DE',
    productionType: 'Solar',
    from: '2022-01-01 00:00',
    intervals: 8,
    value: (i) => i * 10,
  });
  const flows = seriesRows({
    dataset: 'flows',
    area: 'DE',
    inArea: 'FR',
    resolution: 'PT60M',
    from: '2022-01-01 00:00',
    intervals: 24,
    value: (i) => 1000 + i,
  });

  const store = async (dataset: DatasetName, rows: FixtureRow[]) =>
    storeRows(await ctx!.clickhouse(), ctx!.schema, dataset, rows, dataDir);

  before(async () => {
    nats = await startNatsServer();
    dataDir = tempDir();
    const config = testConfig(nats.url, dataDir);
    ctx = new ProcessContext(config);
    broker = createBroker(config, { channels: false });
    broker.createService(queryService(ctx));
    await broker.start();
    await store('load', load);
    await store('generation', solar);
    await store('flows', flows);
    const app = createGatewayApp({
      query: brokerQueryClient(broker),
      registry,
      ready: () => Promise.resolve({ query: true }),
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
    await new Promise<void>((resolve) => {
      if (server)
        server.close(() => {
          resolve();
        });
      else resolve();
    });
    await broker?.stop();
    await ctx?.close();
    await nats?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const get = (p: string) => fetch(`${base}${p}`);

  it('serves a series as columnar JSON with the stored values', async () => {
    const res = await get('/api/v1/load?area=DE&from=2022-01-01&to=2022-01-01T01:00Z');
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.match(/^application\/json/);
    const body = (await res.json()) as ColumnarSeries;
    expect(body).to.deep.equal({
      dataset: 'load',
      area: 'DE',
      resolution: 'native',
      unit: 'MW',
      t: [0, 1, 2, 3].map((i) => Date.UTC(2022, 0, 1) / 1000 + i * 900),
      series: [{ name: 'DE', values: [50000, 50001, 50002, 50003] }],
    });
  });

  it('rolls up on request and answers CSV with a header and ISO UTC times', async () => {
    const res = await get(
      '/api/v1/load?area=DE&from=2022-01-01&to=2022-01-01T02:00Z&resolution=PT60M&format=csv',
    );
    expect(res.headers.get('content-type')).to.match(/^text\/csv/);
    expect(await res.text()).to.equal('ts,DE\n2022-01-01T00:00:00Z,50001.5\n2022-01-01T01:00:00Z,50005.5\n');
  });

  it('serves generation of every type, flows by direction and flows of every border of an area', async () => {
    const gen = (await (
      await get('/api/v1/generation?area=DE&from=2022-01-01&to=2022-01-01T00:30Z')
    ).json()) as ColumnarSeries;
    expect(gen.series).to.deep.equal([{ name: 'Solar', values: [0, 10] }]);
    const flow = (await (
      await get('/api/v1/flows?out=DE&in=FR&from=2022-01-01&to=2022-01-01T02:00Z')
    ).json()) as ColumnarSeries;
    expect(flow).to.include({ area: 'DE', in: 'FR' });
    expect(flow.series).to.deep.equal([{ name: 'DE→FR', values: [1000, 1001] }]);
    const reverse = (await (
      await get('/api/v1/flows?out=FR&in=DE&from=2022-01-01&to=2022-01-02')
    ).json()) as ColumnarSeries;
    expect(reverse.series).to.deep.equal([]);
    // Without `in`: every border of the area, both directions, so an area that only imports has flows too.
    const borders = (await (
      await get('/api/v1/flows?area=FR&from=2022-01-01&to=2022-01-01T02:00Z')
    ).json()) as ColumnarSeries;
    expect(borders.series).to.deep.equal([{ name: 'DE→FR', values: [1000, 1001] }]);
  });

  it('lists areas with data, their production types and borders', async () => {
    const areas = (await (await get('/api/v1/areas?dataset=load')).json()) as {
      areas: Record<string, unknown>[];
    };
    expect(areas.areas).to.have.length(1);
    expect(areas.areas[0]).to.include({
      area: 'DE',
      name: 'DE CTY',
      first: Date.UTC(2022, 0, 1) / 1000,
      last: Date.UTC(2022, 0, 1, 23, 45) / 1000,
    });
    expect(await (await get('/api/v1/types?area=DE')).json()).to.deep.equal({ area: 'DE', types: ['Solar'] });
    expect(await (await get('/api/v1/borders?area=FR')).json()).to.deep.equal({
      borders: [{ out: 'DE', in: 'FR' }],
    });
  });

  it('serves statistics, with the balance of an area over its borders', async () => {
    const body = (await (
      await get('/api/v1/stats?dataset=flows&area=DE&from=2022-01-01&to=2022-01-02')
    ).json()) as {
      balance: { exportMWh: number };
      series: { name: string; energyMWh: number }[];
    };
    const energy = flows.reduce((n, r) => n + Number(r.value), 0);
    expect(body.balance.exportMWh).to.equal(energy);
    expect(body.series.map((s) => [s.name, s.energyMWh])).to.deep.equal([['DE→FR', energy]]);
    const bad = await get('/api/v1/stats?dataset=load&area=DE&from=2022-01-01&to=2022-01-02&resolution=P1D');
    expect(bad.status).to.equal(400);
  });

  it('tells how current a dataset is', async () => {
    const body = (await (await get('/api/v1/freshness?dataset=load')).json()) as {
      lastImport: { month: string };
      areas: { area: string; last: number }[];
    };
    expect(body.lastImport.month).to.equal('2022-01');
    expect(body.areas).to.deep.equal([
      { area: 'DE', last: Date.UTC(2022, 0, 1, 23, 45) / 1000, updated: Date.UTC(2022, 0, 2, 0, 2) / 1000 },
    ]);
    expect((await get('/api/v1/freshness?dataset=x')).status).to.equal(400);
  });

  it('answers every bad parameter with 400 and its name, never a 500', async () => {
    const cases: [string, string][] = [
      ['/api/v1/areas?dataset=prices', 'dataset'],
      ['/api/v1/load?from=2022-01-01&to=2022-01-02', 'area'],
      ["/api/v1/load?area=DE';--&from=2022-01-01&to=2022-01-02", 'area'],
      ['/api/v1/load?area=DE&from=yesterday&to=2022-01-02', 'from'],
      ['/api/v1/load?area=DE&from=2022-01-01', 'to'],
      ['/api/v1/load?area=DE&from=2022-01-02&to=2022-01-01', 'to'],
      ['/api/v1/load?area=DE&from=2022-01-01&to=2022-01-02&resolution=P1Y', 'resolution'],
      ['/api/v1/load?area=DE&from=2012-01-01&to=2022-01-02', 'resolution'],
      ['/api/v1/load?area=DE&from=2022-01-01&to=2022-01-02&format=xml', 'format'],
      ['/api/v1/load?area=DE&area=FR&from=2022-01-01&to=2022-01-02', 'area'],
      ['/api/v1/load?area=DE&type=Solar&from=2022-01-01&to=2022-01-02', 'type'],
      ['/api/v1/generation?area=DE&type=Unicorn&from=2022-01-01&to=2022-01-02', 'type'],
      ['/api/v1/flows?out=DE&in=F%20R&from=2022-01-01&to=2022-01-02', 'in'],
      ['/api/v1/load?area=DE&in=FR&from=2022-01-01&to=2022-01-02', 'in'],
      ['/api/v1/types', 'area'],
      // Outside what ClickHouse's DateTime stores: refused, never a 500 or a wrapped, empty answer.
      ['/api/v1/load?area=DE&from=1969-12-31&to=2022-01-02&resolution=P1D', 'from'],
      ['/api/v1/load?area=DE&from=1970-01-01&to=1971-01-01&resolution=P1W', 'from'],
      ['/api/v1/load?area=DE&from=2022-01-01&to=2107-01-01&resolution=P1M', 'to'],
      ['/api/v1/stats?dataset=load&area=DE&from=1969-12-31&to=2022-01-02', 'from'],
      ['/api/v1/stream?dataset=load&area=DE&from=2022-01-01&to=2107-01-01', 'to'],
    ];
    for (const [url, parameter] of cases) {
      const res = await get(url);
      expect(res.status, url).to.equal(400);
      expect(((await res.json()) as { parameter: string }).parameter, url).to.equal(parameter);
    }
  });

  it('answers unknown paths with a JSON 404, serves probes and the OpenAPI document, and no metrics', async () => {
    const missing = await get('/api/v1/nothing');
    expect(missing.status).to.equal(404);
    expect(await missing.json()).to.deep.equal({ error: 'not found' });
    expect((await get('/healthz')).status).to.equal(200);
    expect(await (await get('/readyz')).json()).to.deep.equal({ status: 'ready', checks: { query: true } });
    const openapi = (await (await get('/api/v1/openapi.json')).json()) as {
      openapi: string;
      paths: Record<string, unknown>;
    };
    expect(openapi.openapi).to.equal('3.1.0');
    expect(Object.keys(openapi.paths)).to.include.members([
      '/api/v1/load',
      '/api/v1/generation',
      '/api/v1/flows',
      '/api/v1/stream',
      '/api/v1/areas',
    ]);
    // Metrics are the health port's: the registry has them, the public port does not serve them.
    expect((await get('/metrics')).status).to.equal(404);
    expect(await registry.metrics()).to.include('energylive_gateway_request_seconds');
  });

  it('answers HEAD on the series and statistics routes with the headers of the GET, without asking the query actor for the answer', async () => {
    const real = brokerQueryClient(broker!);
    const asked: string[] = [];
    const counting: QueryClient = {
      ...real,
      seriesStream: (params) => {
        asked.push(`series ${JSON.stringify(params)}`);
        return real.seriesStream(params);
      },
      stats: (params) => {
        asked.push(`stats ${JSON.stringify(params)}`);
        return real.stats(params);
      },
    };
    const app = createGatewayApp({
      query: counting,
      registry: new Registry(),
      ready: () => Promise.resolve({ query: true }),
      logger: { error: () => undefined, warn: () => undefined },
    });
    const handle = app.callback();
    const counted = http.createServer((req, res) => {
      void handle(req, res);
    });
    const { url } = await listen(counted, 0, '127.0.0.1');
    try {
      const day = 'from=2022-01-01&to=2022-01-02';
      for (const target of [
        `/api/v1/load?area=DE&${day}`,
        `/api/v1/load?area=DE&${day}&resolution=PT60M&format=csv`,
        `/api/v1/generation?area=DE&${day}`,
        `/api/v1/flows?area=DE&in=FR&${day}&format=csv`,
        `/api/v1/stats?dataset=load&area=DE&${day}`,
        // More values than an answer holds, and a bad parameter: refused alike.
        '/api/v1/load?area=DE&from=1970-01-01&to=2106-01-01&resolution=PT60M',
        '/api/v1/load?area=DE&from=2022-01-02&to=2022-01-01',
      ]) {
        const got = await fetch(`${url}${target}`);
        await got.arrayBuffer();
        asked.length = 0;
        const head = await fetch(`${url}${target}`, { method: 'HEAD' });
        expect(asked, target).to.deep.equal([]);
        expect(head.status, target).to.equal(got.status);
        for (const name of ['content-type', 'content-disposition', 'x-content-type-options'])
          expect(head.headers.get(name), `${target} ${name}`).to.equal(got.headers.get(name));
        expect(await head.text(), target).to.equal('');
      }
    } finally {
      counted.closeAllConnections();
      counted.close();
    }
  });
});
