import { expect } from 'chai';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { Client, FTPError } from 'basic-ftp';
import { DATASET_NAMES, type DatasetName } from '../config/env.js';
import { DATASETS } from '../entsoe/datasets.js';
import { officialFileName, officialFolder } from './generator.js';
import { startDemoPublisher, type DemoPublisher } from './publisher.js';

/** Real time as the publisher sees it: its clock starts six hours earlier, at 03:00. */
const START = Date.parse('2024-03-01T09:00:00Z');
const MONTH = '2024-03';

const remotePath = (dataset: DatasetName) =>
  `/TP_export/${officialFolder(dataset)}/${officialFileName(dataset, MONTH)}`;

async function download(client: Client, file: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  await client.downloadTo(
    new Writable({
      write(chunk: Buffer, _encoding, callback) {
        chunks.push(chunk);
        callback();
      },
    }),
    file,
  );
  return Buffer.concat(chunks);
}

const dataLines = (file: Buffer) => file.subarray(3).toString('utf8').split('\r\n').slice(1, -1);

async function rejection(promise: Promise<unknown>): Promise<FTPError> {
  try {
    await promise;
  } catch (error) {
    expect(error).to.be.instanceOf(FTPError);
    return error as FTPError;
  }
  throw new Error('expected the server to refuse the command');
}

describe('demo publisher', function () {
  let dir: string;
  let nowMs: number;
  let publisher: DemoPublisher;
  let client: Client;

  beforeEach(async function () {
    dir = await mkdtemp(path.join(os.tmpdir(), 'energylive-demo-'));
    nowMs = START;
    publisher = await startDemoPublisher({
      dir,
      port: 0,
      stepMs: 3_600_000,
      months: 0,
      now: () => new Date(nowMs),
    });
    client = new Client(5000);
    await client.access({ host: '127.0.0.1', port: publisher.port });
  });

  afterEach(async function () {
    client.close();
    await publisher.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('serves the current month as three official files under /TP_export/<folder>/ to an anonymous client', async function () {
    expect(publisher.url).to.equal(`ftp://127.0.0.1:${publisher.port}`);
    const folders = (await client.list('/TP_export')).map((entry) => entry.name).sort();
    expect(folders).to.deep.equal(DATASET_NAMES.map(officialFolder).sort());
    for (const dataset of DATASET_NAMES) {
      const listing = await client.list(`/TP_export/${officialFolder(dataset)}`);
      expect(listing.map((entry) => entry.name)).to.deep.equal([officialFileName(dataset, MONTH)]);
      const served = await download(client, remotePath(dataset));
      expect(served.equals(await readFile(path.join(dir, remotePath(dataset))))).to.equal(true);
      expect(served.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))).to.equal(true);
      expect(served.subarray(3).toString('utf8').split('\r\n')[0]).to.equal(
        DATASETS[dataset].legacyHeader.join('\t'),
      );
      // 03:00 on the first: three hours of data.
      expect(dataLines(served).every((line) => line.startsWith('2024-03-01 0'))).to.equal(true);
    }
  });

  it('step() publishes the next quarter-hour: the files grow, keep their rows and get a new modification time', async function () {
    const file = remotePath('load');
    const before = { size: await client.size(file), modified: await client.lastMod(file) };
    const oldLines = dataLines(await download(client, file));
    await publisher.step();
    const after = { size: await client.size(file), modified: await client.lastMod(file) };
    expect(after.size).to.be.greaterThan(before.size);
    expect(after.modified.getTime()).to.be.greaterThan(before.modified.getTime());
    const newLines = dataLines(await download(client, file));
    expect(newLines.length).to.be.greaterThan(oldLines.length);
    const kept = new Set(newLines);
    expect(oldLines.filter((line) => !kept.has(line))).to.deep.equal([]);
    expect(newLines.some((line) => line.startsWith('2024-03-01 03:00:00.000\tPT15M'))).to.equal(true);
  });

  it('stops at real time: it never publishes an interval that ends less than 14 minutes before now', async function () {
    nowMs = Date.parse('2024-03-01T03:29:00Z');
    await publisher.step();
    const file = path.join(dir, remotePath('load'));
    const caughtUp = await stat(file);
    await publisher.step();
    await publisher.step();
    expect((await stat(file)).mtimeMs).to.equal(caughtUp.mtimeMs);
    const starts = dataLines(await readFile(file)).map((line) => line.slice(0, 19));
    expect(starts.sort().at(-1)).to.equal('2024-03-01 03:00:00');
  });

  it('advances by itself every stepMs', async function () {
    const other = await mkdtemp(path.join(os.tmpdir(), 'energylive-demo-'));
    const ticking = await startDemoPublisher({
      dir: other,
      port: 0,
      stepMs: 20,
      months: 0,
      now: () => new Date(START),
    });
    try {
      const file = path.join(other, remotePath('generation'));
      const initial = (await stat(file)).size;
      const deadline = Date.now() + 5000;
      while ((await stat(file)).size <= initial && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect((await stat(file)).size).to.be.greaterThan(initial);
    } finally {
      await ticking.close();
      await rm(other, { recursive: true, force: true });
    }
  });

  it('is read-only: refuses uploads, deletions, renames and new folders', async function () {
    const upload = await rejection(
      client.uploadFrom(Readable.from([Buffer.from('x')]), '/TP_export/upload.csv'),
    );
    expect(upload.code).to.equal(502);
    expect((await rejection(client.remove(remotePath('load')))).code).to.equal(502);
    expect((await rejection(client.rename(remotePath('load'), '/TP_export/moved.csv'))).code).to.equal(502);
    expect((await rejection(client.send('MKD /TP_export/new'))).code).to.equal(502);
    expect((await readdir(path.join(dir, 'TP_export'))).sort()).to.deep.equal(
      DATASET_NAMES.map(officialFolder).sort(),
    );
    await stat(path.join(dir, remotePath('load')));
  });

  it('leaves files that are still being written out of listings', async function () {
    const folder = path.join(dir, 'TP_export', officialFolder('flows'));
    await writeFile(path.join(folder, `.${officialFileName('flows', MONTH)}.tmp`), 'partial');
    const names = (await client.list(`/TP_export/${officialFolder('flows')}`)).map((entry) => entry.name);
    expect(names).to.deep.equal([officialFileName('flows', MONTH)]);
  });

  it('close() stops the FTP server and frees its port', async function () {
    const port = publisher.port;
    client.close();
    await publisher.close();
    await new Promise<void>((resolve, reject) => {
      const server = net.createServer();
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.close(() => {
          resolve();
        });
      });
    });
    let stepError: unknown;
    await publisher.step().catch((error: unknown) => {
      stepError = error;
    });
    expect(String(stepError)).to.match(/closed/);
  });
});
