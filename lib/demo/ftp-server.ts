import net from 'node:net';
import { FileSystem, FtpSrv, type FtpConnection } from 'ftp-srv';

/** What the demo needs of a logger (pino-style: details first, then the message). */
export interface DemoLogger {
  info(details: object, message?: string): void;
  warn(details: object, message?: string): void;
}

export interface ReadOnlyFtpServerOptions {
  /** Folder served as `/`. */
  root: string;
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Names left out of directory listings (files being written). */
  hidden: (name: string) => boolean;
  logger: DemoLogger;
}

export interface ReadOnlyFtpServer {
  /** `ftp://host:port` */
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * Commands a client may use: log in, look around, list and download, in passive mode only. Everything
 * else (STOR, APPE, DELE, RNFR, MKD, SITE, active-mode PORT, …) is refused with 502, so the server is
 * read-only whatever the file system would allow.
 */
const READ_ONLY_COMMANDS = [
  'USER',
  'PASS',
  'SYST',
  'FEAT',
  'OPTS',
  'HELP',
  'NOOP',
  'QUIT',
  'PWD',
  'CWD',
  'CDUP',
  'TYPE',
  'MODE',
  'STRU',
  'PASV',
  'EPSV',
  'LIST',
  'NLST',
  'STAT',
  'SIZE',
  'MDTM',
  'REST',
  'RETR',
  'ABOR',
];

/** Passive data connections, one per transfer in flight; a handful of concurrent clients at most. */
const PASSIVE_PORTS = 20;
const PORT_SEARCH_ATTEMPTS = 20;
const SIGNALS = ['SIGTERM', 'SIGINT', 'SIGQUIT'] as const;

/** The disk folder as ftp-srv serves it, minus the files the publisher is still writing. */
class PublishedFiles extends FileSystem {
  constructor(
    connection: FtpConnection,
    root: string,
    private readonly hidden: (name: string) => boolean,
  ) {
    super(connection, { root, cwd: '/' });
  }

  override async list(path?: string): Promise<{ name: string }[]> {
    const entries = (await super.list(path)) as { name: string }[];
    return entries.filter((entry) => !this.hidden(entry.name));
  }
}

/** Anonymous, read-only FTP over a folder, with passive mode on a free port range of the same host. */
export async function startReadOnlyFtpServer(options: ReadOnlyFtpServerOptions): Promise<ReadOnlyFtpServer> {
  const passive = await freePortRange(options.host, PASSIVE_PORTS);
  const signalListeners = new Map(SIGNALS.map((signal) => [signal, process.listeners(signal)]));
  const server = new FtpSrv({
    url: `ftp://${options.host}:${options.port}`,
    anonymous: true,
    pasv_url: options.host,
    pasv_min: passive.min,
    pasv_max: passive.max,
    whitelist: READ_ONLY_COMMANDS,
    greeting: 'EnergyLive demo: ENTSO-E Transparency Platform files, read-only',
    log: ftpSrvLog(options.logger),
  });
  // ftp-srv adds SIGTERM/SIGINT handlers that call process.exit; the service shuts itself down instead.
  for (const signal of SIGNALS) {
    for (const listener of process.listeners(signal)) {
      if (!signalListeners.get(signal)?.includes(listener)) process.off(signal, listener);
    }
  }
  server.on('login', ({ connection }, resolve) => {
    resolve({ fs: new PublishedFiles(connection, options.root, options.hidden) });
  });
  await server.listen();
  const { port } = (server as unknown as { server: net.Server }).server.address() as net.AddressInfo;
  return {
    url: `ftp://${options.host}:${port}`,
    port,
    close: async () => {
      await server.close();
    },
  };
}

/** ftp-srv logs through bunyan; only its errors (failed commands, broken connections) are worth keeping. */
function ftpSrvLog(logger: DemoLogger): object {
  const ignore = (): void => undefined;
  const error = (detail: unknown, message?: unknown): void => {
    logger.warn(
      { error: detail instanceof Error ? detail.message : String(detail) },
      `demo FTP server: ${typeof message === 'string' ? message : 'error'}`,
    );
  };
  const log = {
    child: () => log,
    trace: ignore,
    debug: ignore,
    info: ignore,
    warn: ignore,
    error,
    fatal: error,
  };
  return log;
}

/**
 * A run of `count` consecutive ports on `host` that are free right now. Searched below Linux's ephemeral
 * range (32768–60999), where a machine holding many outgoing connections leaves no consecutive gaps.
 */
async function freePortRange(host: string, count: number): Promise<{ min: number; max: number }> {
  for (let attempt = 0; attempt < PORT_SEARCH_ATTEMPTS; attempt++) {
    const min = 20000 + Math.floor(Math.random() * (32768 - 20000 - count));
    const max = min + count - 1;
    if ((await listenOnce(host, min).catch(() => 0)) !== min) continue;
    let free = true;
    for (let port = min + 1; port <= max && free; port++)
      free = (await listenOnce(host, port).catch(() => 0)) === port;
    if (free) return { min, max };
  }
  throw new Error(`demo FTP server: no ${count} consecutive free ports on ${host} for passive mode`);
}

/** Binds and releases a port; resolves with the port bound (a free one for 0). */
function listenOnce(host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(port, host, () => {
      const bound = (probe.address() as net.AddressInfo).port;
      probe.close(() => {
        resolve(bound);
      });
    });
  });
}
