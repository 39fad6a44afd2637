import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { Config } from '../../lib/config/env.js';
import { DEFINITIONS_DIR } from '../../lib/nats/definitions.js';

function answers(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, host, () => {
      socket.end();
      resolve(true);
    });
    socket.on('error', () => {
      resolve(false);
    });
  });
}

/**
 * On a fresh machine nothing may listen on the default NATS address. If `nats-server` is installed,
 * start one with the repository's config and the store under the data directory, so `npm start` works
 * with no setup. Any other NATS_URL is the operator's and is never started here.
 */
export async function ensureLocalNats(
  config: Config,
  log: (msg: object) => void,
): Promise<ChildProcess | null> {
  if (config.natsUrl !== 'nats://127.0.0.1:4222') return null;
  if (await answers('127.0.0.1', 4222)) return null;
  const storeDir = path.join(config.dataDir, 'nats');
  fs.mkdirSync(storeDir, { recursive: true });
  const child = spawn(
    'nats-server',
    ['-c', path.join(DEFINITIONS_DIR, 'nats-server.conf'), '-sd', storeDir],
    { stdio: 'ignore' },
  );
  const failed = new Promise<never>((_, reject) => {
    child.once('error', (err) => {
      reject(
        new Error(
          `no NATS at ${config.natsUrl} and nats-server could not be started (${err.message}); install nats-server or set NATS_URL`,
        ),
      );
    });
  });
  for (let i = 0; i < 100; i++) {
    const up = await Promise.race([answers('127.0.0.1', 4222), failed]);
    if (up) {
      log({ event: 'nats_started', pid: child.pid, storeDir });
      return child;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill();
  throw new Error('nats-server did not start within 5 s');
}
