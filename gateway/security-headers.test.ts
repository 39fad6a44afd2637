import http from 'node:http';
import { expect } from 'chai';
import Koa from 'koa';
import { listen } from '../lib/net/listen.js';
import { jsonErrors } from './http-errors.js';
import { securityHeaders } from './security-headers.js';

/** An app with the headers middleware in front of a route that answers and one that throws. */
async function serve(https: boolean, trustProxy: boolean): Promise<{ url: string; server: http.Server }> {
  const app = new Koa();
  app.proxy = trustProxy;
  app.silent = true;
  app.use(securityHeaders({ https }));
  app.use(jsonErrors({ error: () => undefined }));
  app.use((ctx) => {
    if (ctx.path === '/fails') throw new Error('internal');
    ctx.body = { ok: true };
  });
  const handle = app.callback();
  const server = http.createServer((req, res) => {
    void handle(req, res);
  });
  return { url: (await listen(server, 0, '127.0.0.1')).url, server };
}

describe('security headers', () => {
  const servers: http.Server[] = [];
  after(() => {
    for (const s of servers) s.close();
  });

  async function headers(https: boolean, trustProxy: boolean, path: string, proto?: string) {
    const { url, server } = await serve(https, trustProxy);
    servers.push(server);
    const res = await fetch(`${url}${path}`, { headers: proto ? { 'x-forwarded-proto': proto } : {} });
    return {
      status: res.status,
      nosniff: res.headers.get('x-content-type-options'),
      hsts: res.headers.get('strict-transport-security'),
    };
  }

  it('sends nosniff on every answer, errors included', async () => {
    expect(await headers(false, false, '/')).to.include({ status: 200, nosniff: 'nosniff' });
    expect(await headers(false, false, '/fails')).to.include({ status: 500, nosniff: 'nosniff' });
  });

  it('sends HSTS when the public URL is https, on answers and errors alike', async () => {
    expect(await headers(true, false, '/')).to.include({ hsts: 'max-age=31536000' });
    expect(await headers(true, false, '/fails')).to.include({ hsts: 'max-age=31536000' });
  });

  it('with an http public URL, sends HSTS only when a trusted proxy says the request was HTTPS', async () => {
    expect(await headers(false, false, '/')).to.include({ hsts: null });
    expect(await headers(false, true, '/', 'https')).to.include({ hsts: 'max-age=31536000' });
    expect(await headers(false, true, '/', 'http')).to.include({ hsts: null });
    // Anyone can send the header; only a proxy the operator trusts is believed.
    expect(await headers(false, false, '/', 'https')).to.include({ hsts: null });
  });
});
