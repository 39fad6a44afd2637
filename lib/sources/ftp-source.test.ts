import { expect } from 'chai';
import { mkdir, readdir, stat, utimes, writeFile } from 'node:fs/promises';
import type { AddressInfo, Server } from 'node:net';
import path from 'node:path';
import { FtpSrv } from 'ftp-srv';
import { generate } from 'selfsigned';
import { FtpSource } from './ftp-source.js';
import type { RemoteFile } from './source.js';
import { legacyCsv, makeTempDir, readAll, zipOf, type TempDir } from './test-fixtures.js';

const USER = 'tp-user@example.org';
const PASSWORD = 'p@ss:word/1';

/** ftp-srv logs through bunyan to stdout by default. */
const silentLog = {
  child: () => silentLog,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

interface TestFtpServer {
  port: number;
  logins: number;
  dropConnections: () => Promise<void>;
  close: () => Promise<void>;
}

/** A real ftp-srv serving `root`, with explicit TLS when `tls` is given. */
async function startFtpServer(root: string, tls?: { key: string; cert: string }): Promise<TestFtpServer> {
  const signals = ['SIGTERM', 'SIGINT', 'SIGQUIT'] as const;
  const before = new Map(signals.map((s) => [s, process.listeners(s)]));
  const pasvMin = 30000 + Math.floor(Math.random() * 20000);
  const server = new FtpSrv({
    url: 'ftp://127.0.0.1:0',
    pasv_url: '127.0.0.1',
    pasv_min: pasvMin,
    pasv_max: pasvMin + 200,
    tls: tls ?? false,
    log: silentLog,
  });
  const state = { logins: 0 };
  server.on('login', ({ username, password }, resolve, reject) => {
    if (username !== USER || password !== PASSWORD) {
      reject(new Error('bad login'));
      return;
    }
    state.logins++;
    resolve({ root });
  });
  await server.listen();
  const { port } = (server as unknown as { server: Server }).server.address() as AddressInfo;
  const connections = (): Record<string, unknown> =>
    (server as unknown as { connections: Record<string, unknown> }).connections;
  return {
    port,
    get logins() {
      return state.logins;
    },
    dropConnections: async () => {
      await Promise.all(Object.keys(connections()).map((id) => server.disconnectClient(id)));
    },
    close: async () => {
      await server.close();
      // ftp-srv installs process signal handlers that call process.exit and never removes them.
      for (const signal of signals) {
        for (const listener of process.listeners(signal)) {
          if (!before.get(signal)?.includes(listener)) process.off(signal, listener);
        }
      }
    },
  };
}

const url = (scheme: 'ftp' | 'ftps', port: number, folder = '/TP_export'): string =>
  `${scheme}://${encodeURIComponent(USER)}:${encodeURIComponent(PASSWORD)}@127.0.0.1:${port}${folder}`;

const sorted = (files: RemoteFile[]): RemoteFile[] => [...files].sort((a, b) => a.key.localeCompare(b.key));

async function writeTree(root: string): Promise<void> {
  const tp = path.join(root, 'TP_export');
  for (const folder of [
    'ActualTotalLoad_6.1.A',
    'AggregatedGenerationPerType_16.1.B_C',
    'DayAheadPrices_12.1.D',
    'zip',
  ]) {
    await mkdir(path.join(tp, folder), { recursive: true });
  }
  await writeFile(
    path.join(tp, 'ActualTotalLoad_6.1.A/2022_01_ActualTotalLoad_6.1.A.csv'),
    legacyCsv('load', 3),
  );
  await writeFile(
    path.join(tp, 'AggregatedGenerationPerType_16.1.B_C/2022_01_AggregatedGenerationPerType_16.1.B_C.csv'),
    legacyCsv('generation', 4),
  );
  await writeFile(path.join(tp, 'DayAheadPrices_12.1.D/2022_01_DayAheadPrices_12.1.D.csv'), 'x');
  await writeFile(
    path.join(tp, 'zip/2022_02_28_13_PhysicalFlows12.1.G.zip'),
    await zipOf([['2022_02_28_13_PhysicalFlows12.1.G.csv', legacyCsv('flows', 2)]]),
  );
}

describe('FtpSource', () => {
  let dir: TempDir;
  let server: TestFtpServer;
  let source: FtpSource;

  beforeEach(async () => {
    dir = await makeTempDir('ftp');
    await writeTree(dir.path);
    server = await startFtpServer(dir.path);
    source = new FtpSource(url('ftp', server.port), { timeoutMs: 5000, tmpDir: dir.path });
  });

  afterEach(async () => {
    await source.close();
    await server.close();
    await dir.remove();
  });

  it('lists the folder tree below the URL path with dataset, size and an MDTM-exact version', async () => {
    const files = sorted(await source.list());
    expect(files.map((f) => [f.key, f.dataset])).to.deep.equal([
      ['/TP_export/ActualTotalLoad_6.1.A/2022_01_ActualTotalLoad_6.1.A.csv', 'load'],
      [
        '/TP_export/AggregatedGenerationPerType_16.1.B_C/2022_01_AggregatedGenerationPerType_16.1.B_C.csv',
        'generation',
      ],
      ['/TP_export/zip/2022_02_28_13_PhysicalFlows12.1.G.zip', 'flows'],
    ]);
    const stats = await stat(
      path.join(dir.path, 'TP_export/ActualTotalLoad_6.1.A/2022_01_ActualTotalLoad_6.1.A.csv'),
    );
    expect(files[0]).to.include({ size: stats.size, version: `${stats.size}:${stats.mtime.getTime()}` });
  });

  it('gives a file a new version when its size or its modification time changes', async () => {
    const csv = path.join(dir.path, 'TP_export/ActualTotalLoad_6.1.A/2022_01_ActualTotalLoad_6.1.A.csv');
    // Rooted at the dataset folder: one directory listing per call keeps the test quick.
    const folder = new FtpSource(url('ftp', server.port, '/TP_export/ActualTotalLoad_6.1.A'));
    try {
      const version = async (): Promise<string | undefined> => (await folder.list())[0]?.version;
      const first = await version();
      await writeFile(csv, legacyCsv('load', 5));
      const grown = await version();
      await utimes(csv, new Date('2022-02-01T00:00:00Z'), new Date('2022-02-01T00:00:00Z'));
      const touched = await version();
      expect(new Set([first, grown, touched]).size).to.equal(3);
    } finally {
      await folder.close();
    }
  });

  it('streams a CSV download byte for byte', async () => {
    const [load] = sorted(await source.list());
    expect(await readAll(await source.open(load!))).to.equal(legacyCsv('load', 3));
  });

  it('downloads a ZIP, unpacks its CSV and deletes the staged download', async () => {
    const zip = sorted(await source.list())[2]!;
    expect(await readAll(await source.open(zip))).to.equal(legacyCsv('flows', 2));
    expect((await readdir(dir.path)).filter((n) => n.startsWith('energylive-'))).to.deep.equal([]);
  });

  it('runs concurrent calls one after another over a single connection', async () => {
    const [load, generation] = sorted(await source.list());
    const [a, b, listing, c] = await Promise.all([
      source.open(load!).then(readAll),
      source.open(generation!).then(readAll),
      source.list(),
      source.open(load!).then(readAll),
    ]);
    expect([a, b, c]).to.deep.equal([legacyCsv('load', 3), legacyCsv('generation', 4), legacyCsv('load', 3)]);
    expect(listing).to.have.length(3);
    expect(server.logins).to.equal(1);
  });

  it('reconnects when the server has dropped the connection', async () => {
    await source.list();
    await server.dropConnections();
    expect(await source.list()).to.have.length(3);
    expect(server.logins).to.equal(2);
  });

  it('frees the connection when a reader abandons a download', async () => {
    const big = path.join(dir.path, 'TP_export/ActualTotalLoad_6.1.A/2022_02_ActualTotalLoad_6.1.A.csv');
    await writeFile(big, legacyCsv('load', 60_000));
    const file = (await source.list()).find((f) => f.name.startsWith('2022_02'))!;
    const stream = await source.open(file);
    await new Promise<void>((resolve) => {
      stream.once('data', () => {
        resolve();
      });
    });
    stream.destroy();
    expect(await source.list()).to.have.length(4);
  });

  it('stops a listing under way when its signal is aborted, and reconnects for the next call', async () => {
    const controller = new AbortController();
    const listing = source.list(controller.signal);
    // ftp-srv needs well over 20 ms for a login and four directory listings.
    setTimeout(() => {
      controller.abort(new Error('stop now'));
    }, 20);
    const error = await listing.catch((err: unknown) => err);
    expect((error as Error).message).to.equal('stop now');
    expect(await source.list()).to.have.length(3);
  });

  it('fails on a wrong password and never shows the password', async () => {
    const wrong = new FtpSource(`ftp://${encodeURIComponent(USER)}:nope@127.0.0.1:${server.port}/TP_export`);
    const error = await wrong.list().catch((err: unknown) => err);
    await wrong.close();
    expect(error).to.be.instanceOf(Error);
    expect(source.describe()).to.equal(
      `ftp ftp://${encodeURIComponent(USER)}@127.0.0.1:${server.port}/TP_export`,
    );
    expect(source.describe()).not.to.include(PASSWORD);
  });
});

describe('FtpSource over FTPS (explicit TLS)', () => {
  const LOAD_FOLDER = '/TP_export/ActualTotalLoad_6.1.A';
  let dir: TempDir;
  let server: TestFtpServer;
  let cert: string;

  before(async () => {
    const pems = await generate([{ name: 'commonName', value: '127.0.0.1' }], {
      keyType: 'ec',
      curve: 'P-256',
      extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
    });
    cert = pems.cert;
    dir = await makeTempDir('ftps');
    await writeTree(dir.path);
    server = await startFtpServer(dir.path, { key: pems.private, cert: pems.cert });
  });

  after(async () => {
    await server.close();
    await dir.remove();
  });

  it('refuses a certificate it cannot verify unless told otherwise', async () => {
    const source = new FtpSource(url('ftps', server.port, LOAD_FOLDER), { timeoutMs: 5000 });
    const error = await source.list().catch((err: unknown) => err);
    await source.close();
    expect((error as Error).message).to.match(/self.signed|certificate/i);
  });

  it('lists and downloads over TLS when the certificate is trusted through a CA option', async () => {
    const source = new FtpSource(url('ftps', server.port, LOAD_FOLDER), {
      timeoutMs: 5000,
      tls: { ca: cert },
    });
    try {
      const [load] = sorted(await source.list());
      expect(load?.dataset).to.equal('load');
      expect(await readAll(await source.open(load!))).to.equal(legacyCsv('load', 3));
    } finally {
      await source.close();
    }
  });

  it('connects to a test server when certificate checks are switched off', async () => {
    const source = new FtpSource(url('ftps', server.port, LOAD_FOLDER), {
      timeoutMs: 5000,
      tls: { rejectUnauthorized: false },
    });
    try {
      expect(await source.list()).to.have.length(1);
    } finally {
      await source.close();
    }
  });
});
