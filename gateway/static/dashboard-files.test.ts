import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import zlib from 'node:zlib';
import { expect } from 'chai';
import Koa from 'koa';
import { listen } from '../../lib/net/listen.js';
import { tempDir } from '../../test/support/temp-dir.js';
import { jsonErrors } from '../http-errors.js';
import { dashboardFiles } from './dashboard-files.js';

const HTML = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
const INDEX =
  '<!doctype html><title>EnergyLive</title><script type="module" src="/assets/index-abc123.js"></script>';
const BUNDLE = 'console.log("dashboard");';
const SECRET = 'not for browsers';

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A raw request: fetch would normalise the `..` segments the traversal cases need to send as written. */
function request(
  base: string,
  rawPath: string,
  init: { method?: string; accept?: string; encoding?: string } = {},
): Promise<Answer> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        path: rawPath,
        method: init.method ?? 'GET',
        headers: { accept: init.accept ?? HTML, 'accept-encoding': init.encoding ?? 'identity' },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const raw = Buffer.concat(chunks);
          const body = res.headers['content-encoding'] === 'br' ? zlib.brotliDecompressSync(raw) : raw;
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: body.toString() });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('dashboard files', () => {
  let dir: string;
  const servers: http.Server[] = [];
  let built: string;
  let unbuilt: string;

  async function serve(root: string): Promise<string> {
    const app = new Koa();
    app.silent = true;
    app.use(jsonErrors({ error: () => undefined }));
    app.use((ctx, next) =>
      ctx.path === '/api/v1/hello' ? ((ctx.body = { hello: true }), undefined) : next(),
    );
    app.use(dashboardFiles({ root }));
    const handle = app.callback();
    const server = http.createServer((req, res) => {
      void handle(req, res);
    });
    servers.push(server);
    return (await listen(server, 0, '127.0.0.1')).url;
  }

  before(async () => {
    dir = tempDir();
    const dist = path.join(dir, 'dist');
    fs.mkdirSync(path.join(dist, 'assets'), { recursive: true });
    fs.writeFileSync(path.join(dist, 'index.html'), INDEX);
    fs.writeFileSync(path.join(dist, 'assets', 'index-abc123.js'), BUNDLE);
    fs.writeFileSync(path.join(dist, 'assets', 'index-abc123.js.br'), zlib.brotliCompressSync(BUNDLE));
    fs.writeFileSync(path.join(dist, 'assets', '.hidden'), SECRET);
    fs.writeFileSync(path.join(dir, 'secret.txt'), SECRET);
    built = await serve(dist);
    unbuilt = await serve(path.join(dir, 'missing'));
  });

  after(async () => {
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
    fs.rmSync(dir, { recursive: true });
  });

  it('answers every page a browser asks for with index.html, revalidated, under a strict policy', async () => {
    for (const page of [
      '/',
      '/app',
      '/account?checkout=success',
      '/signin',
      '/no/such/page',
      '/index.html',
    ]) {
      const res = await request(built, page);
      expect(res.status, page).to.equal(200);
      expect(res.body, page).to.equal(INDEX);
      expect(res.headers['content-type'], page).to.match(/^text\/html/);
      expect(res.headers['cache-control'], page).to.equal('no-cache');
      expect(res.headers.vary, page).to.equal('Accept-Encoding');
      expect(res.headers['x-content-type-options'], page).to.equal('nosniff');
      expect(res.headers['referrer-policy'], page).to.equal('same-origin');
      const csp = res.headers['content-security-policy'] ?? '';
      for (const directive of [
        "default-src 'self'",
        "img-src 'self' data: blob:",
        "style-src 'self' 'unsafe-inline'",
        "connect-src 'self'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "form-action 'self'",
      ])
        expect(csp, page).to.include(directive);
    }
    const head = await request(built, '/app', { method: 'HEAD' });
    expect(head.status).to.equal(200);
    expect(head.body).to.equal('');
  });

  it('serves hashed assets for a year, precompressed when accepted, and a missing one as a plain 404', async () => {
    const asset = await request(built, '/assets/index-abc123.js', { accept: '*/*' });
    expect(asset.status).to.equal(200);
    expect(asset.body).to.equal(BUNDLE);
    expect(asset.headers['content-type']).to.match(/javascript/);
    expect(asset.headers['cache-control']).to.equal('public, max-age=31536000, immutable');
    expect(asset.headers['x-content-type-options']).to.equal('nosniff');

    const compressed = await request(built, '/assets/index-abc123.js', {
      accept: '*/*',
      encoding: 'gzip, br',
    });
    expect(compressed.headers['content-encoding']).to.equal('br');
    expect(compressed.body).to.equal(BUNDLE);
    expect(compressed.headers['content-type']).to.match(/javascript/);
    expect(compressed.headers['cache-control']).to.equal('public, max-age=31536000, immutable');
    expect(compressed.headers.vary).to.equal('Accept-Encoding');
    expect(asset.headers['content-encoding']).to.equal(undefined);

    for (const missing of ['/assets/index-old999.js', '/assets/', '/assets/.hidden']) {
      const res = await request(built, missing, { accept: '*/*' });
      expect(res.status, missing).to.equal(404);
      expect(JSON.parse(res.body), missing).to.deep.equal({ error: 'not found' });
      expect(res.headers['cache-control'], missing).to.equal(undefined);
    }
  });

  it('leaves the API, the probes and non-page requests to the routes before it, and refuses other methods', async () => {
    expect(JSON.parse((await request(built, '/api/v1/hello')).body)).to.deep.equal({ hello: true });
    for (const passed of ['/api/v1/nothing', '/api', '/healthz', '/readyz', '/metrics']) {
      const res = await request(built, passed);
      expect(res.status, passed).to.equal(404);
      expect(JSON.parse(res.body), passed).to.deep.equal({ error: 'not found' });
    }
    // A page is only ever read: any other method on it is refused the way the API refuses one.
    const post = await request(built, '/app', { method: 'POST' });
    expect(post.status).to.equal(405);
    expect(post.headers.allow).to.equal('GET, HEAD');
    expect(JSON.parse(post.body)).to.include({ code: 'METHOD_NOT_ALLOWED' });
    expect((await request(built, '/app', { accept: 'application/json' })).status).to.equal(404);
    expect((await request(built, '/app', { accept: '*/*' })).status).to.equal(404);
  });

  it('never serves a file outside its folder', async () => {
    for (const attack of [
      '/assets/../../secret.txt',
      '/assets/%2e%2e/%2e%2e/secret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
      '/assets/..%5c..%5csecret.txt',
      '/assets/%252e%252e/%252e%252e/secret.txt',
      '/assets/index-abc123.js%00.png',
      `/assets/${'..%2f'.repeat(12)}etc%2fpasswd`,
    ]) {
      const res = await request(built, attack, { accept: '*/*' });
      expect(res.status, attack).to.be.within(400, 499);
      expect(res.body, attack).not.to.include(SECRET);
      expect(res.body, attack).not.to.include('root:');
    }
  });

  it('says how to build the app when it is missing, and still answers the API', async () => {
    const page = await request(unbuilt, '/app');
    expect(page.status).to.equal(503);
    const body = JSON.parse(page.body) as { error: string; code: string };
    expect(body.code).to.equal('DASHBOARD_NOT_BUILT');
    expect(body.error).to.include('npm run build:dashboard');
    expect((await request(unbuilt, '/assets/index-abc123.js')).status).to.equal(404);
    expect(JSON.parse((await request(unbuilt, '/api/v1/hello')).body)).to.deep.equal({ hello: true });
  });
});
