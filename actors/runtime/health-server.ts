import { createHttpServer } from '../../lib/net/http-server.js';
import { listen } from '../../lib/net/listen.js';
import { collectDefaultMetrics, Registry } from 'prom-client';

export interface HealthServer {
  port: number;
  registry: Registry;
  close(): Promise<void>;
}

/**
 * `/healthz` (the process is alive), `/readyz` (every check passes: it can do its work) and `/metrics`
 * (Prometheus text) for Kubernetes probes and scraping.
 */
export async function startHealthServer(options: {
  port: number;
  host?: string;
  ready: () => Promise<Record<string, boolean>>;
  registry?: Registry;
}): Promise<HealthServer> {
  const registry = options.registry ?? new Registry();
  collectDefaultMetrics({ register: registry });
  const server = createHttpServer((req, res) => {
    // Node leaves the body out of an answer to HEAD by itself.
    const send = (status: number, body: string, type = 'application/json') => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(body);
    };
    const url = req.url?.split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      send(405, JSON.stringify({ error: 'method not allowed' }));
      return;
    }
    if (url === '/healthz') {
      send(200, JSON.stringify({ status: 'ok' }));
      return;
    }
    if (url === '/readyz') {
      options
        .ready()
        .then((checks) => {
          const ok = Object.values(checks).every(Boolean);
          send(ok ? 200 : 503, JSON.stringify({ status: ok ? 'ready' : 'not ready', checks }));
        })
        .catch((err: unknown) => {
          send(503, JSON.stringify({ status: 'not ready', error: String(err) }));
        });
      return;
    }
    if (url === '/metrics') {
      registry
        .metrics()
        .then((text) => {
          send(200, text, registry.contentType);
        })
        .catch((err: unknown) => {
          send(500, JSON.stringify({ error: String(err) }));
        });
      return;
    }
    send(404, JSON.stringify({ error: 'not found' }));
  });
  const { port } = await listen(server, options.port, options.host ?? '0.0.0.0');
  return {
    port,
    registry,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
        server.closeAllConnections();
      }),
  };
}
