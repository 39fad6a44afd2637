import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export interface TestNatsServer {
  url: string;
  port: number;
  storeDir: string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        resolve(typeof address === 'object' && address ? address.port : 0);
      });
    });
  });
}

async function waitForPort(port: number, child: ChildProcess, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`nats-server exited with code ${child.exitCode}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.end();
        resolve(true);
      });
      socket.on('error', () => {
        resolve(false);
      });
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`nats-server did not open port ${port}`);
}

function spawnNats(port: number, storeDir: string): ChildProcess {
  const binary = process.env.NATS_SERVER_BIN ?? 'nats-server';
  return spawn(binary, ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', storeDir], {
    stdio: 'ignore',
  });
}

async function end(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill(signal);
  await exited;
}

/** A private nats-server with JetStream on a free port and a temporary store, removed on stop. */
export async function startNatsServer(): Promise<TestNatsServer> {
  const port = await freePort();
  const storeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'energylive-nats-'));
  const child = spawnNats(port, storeDir);
  await waitForPort(port, child);
  return {
    url: `nats://127.0.0.1:${port}`,
    port,
    storeDir,
    async stop() {
      await end(child, 'SIGTERM');
      fs.rmSync(storeDir, { recursive: true, force: true });
    },
  };
}

/** A private nats-server that a fault test can take down and bring back where clients expect it. */
export interface RestartableNatsServer extends TestNatsServer {
  readonly running: boolean;
  /** Ends the server with `signal` (SIGTERM: it shuts down in order; SIGKILL: it just dies). */
  halt(signal: 'SIGTERM' | 'SIGKILL'): Promise<void>;
  /** Starts it again on the same port with the same store, so streams and consumers survive. */
  restart(): Promise<void>;
  /** Stops the process where it is (SIGSTOP): connections stay open and nothing answers, like a hung server. */
  freeze(): void;
  /** Lets a frozen server go on (SIGCONT). */
  thaw(): void;
}

export async function startRestartableNatsServer(): Promise<RestartableNatsServer> {
  const port = await freePort();
  const storeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'energylive-nats-'));
  let child = spawnNats(port, storeDir);
  await waitForPort(port, child);
  const running = () => child.exitCode === null && child.signalCode === null;
  return {
    url: `nats://127.0.0.1:${port}`,
    port,
    storeDir,
    get running() {
      return running();
    },
    async halt(signal) {
      await end(child, signal);
    },
    async restart() {
      if (running()) throw new Error('nats-server is still running');
      child = spawnNats(port, storeDir);
      await waitForPort(port, child);
    },
    freeze() {
      child.kill('SIGSTOP');
    },
    thaw() {
      child.kill('SIGCONT');
    },
    async stop() {
      child.kill('SIGCONT');
      await end(child, 'SIGTERM');
      fs.rmSync(storeDir, { recursive: true, force: true });
    },
  };
}
