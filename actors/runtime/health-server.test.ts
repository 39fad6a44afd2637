import { expect } from 'chai';
import { expectJsonRefusals } from '../../test/support/malformed-requests.js';
import { PipelineMetrics } from './metrics.js';
import { startHealthServer, type HealthServer } from './health-server.js';

describe('health server', () => {
  let server: HealthServer | undefined;
  let ready = true;
  const metrics = new PipelineMetrics();

  before(async () => {
    server = await startHealthServer({
      port: 0,
      host: '127.0.0.1',
      registry: metrics.registry,
      ready: () => Promise.resolve({ nats: ready, clickhouse: true }),
    });
  });

  after(async () => {
    await server?.close();
  });

  const get = (path: string, method = 'GET') => fetch(`http://127.0.0.1:${server!.port}${path}`, { method });

  it('answers /healthz while the process runs', async () => {
    const res = await get('/healthz');
    expect(res.status).to.equal(200);
    expect(await res.json()).to.deep.equal({ status: 'ok' });
  });

  it('answers /readyz 200 when every check passes and 503 naming the failing one otherwise', async () => {
    ready = true;
    expect((await get('/readyz')).status).to.equal(200);
    ready = false;
    const res = await get('/readyz');
    expect(res.status).to.equal(503);
    expect(await res.json()).to.deep.equal({
      status: 'not ready',
      checks: { nats: false, clickhouse: true },
    });
  });

  it('serves pipeline and process metrics in the Prometheus text format', async () => {
    metrics.rejectedRows.inc({ dataset: 'load', reason: 'invalid_number' }, 3);
    const res = await get('/metrics');
    expect(res.headers.get('content-type')).to.match(/^text\/plain/);
    const text = await res.text();
    expect(text).to.include(
      'energylive_parser_rejected_rows_total{dataset="load",reason="invalid_number"} 3',
    );
    expect(text).to.include('process_resident_memory_bytes');
  });

  it('refuses other paths and methods without failing', async () => {
    expect((await get('/nope')).status).to.equal(404);
    const post = await get('/healthz', 'POST');
    expect(post.status).to.equal(405);
    expect(post.headers.get('allow')).to.equal('GET, HEAD');
  });

  it('answers HEAD like GET, without a body', async () => {
    for (const path of ['/healthz', '/readyz', '/metrics', '/nope']) {
      const [head, got] = [await get(path, 'HEAD'), await get(path)];
      expect(head.status, path).to.equal(got.status);
      expect(head.headers.get('content-type'), path).to.equal(got.headers.get('content-type'));
      expect(await head.text(), path).to.equal('');
    }
  });

  it("answers requests that Node's HTTP parser refuses with a JSON error, not an empty answer", async () => {
    await expectJsonRefusals(server!.port, '/healthz');
  });
});
