import { expect } from 'chai';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { tempDir } from '../../test/support/temp-dir.js';
import { objectName, type FileStore } from './file-store.js';
import { openGcsFileStore } from './gcs-file-store.js';
import { GcsStandin } from './gcs-standin.js';
import { rejection } from '../../test/support/rejection.js';

const BUCKET = 'energylive-test';

describe('GCS file store (against the GCS stand-in)', () => {
  let standin: GcsStandin;
  let store: FileStore;
  let dir: string;

  beforeEach(async () => {
    // Two objects a page, so that listing has to follow nextPageToken.
    standin = await GcsStandin.start({ bucket: BUCKET, pageSize: 2 });
    store = openGcsFileStore(BUCKET, { apiEndpoint: standin.url, projectId: 'test' });
    dir = tempDir('energylive-gcs-');
  });

  afterEach(async () => {
    const unhandled = standin.unhandled;
    await standin.close();
    fs.rmSync(dir, { recursive: true, force: true });
    expect(unhandled, 'requests the stand-in does not implement').to.deep.equal([]);
  });

  /** A gzip file like the canonical files, named after the digest of its content. */
  function gzipFile(fileName: string, text: string): { localPath: string; name: string; content: Buffer } {
    const content = zlib.gzipSync(text);
    const localPath = path.join(dir, fileName);
    fs.writeFileSync(localPath, content);
    const sha256 = createHash('sha256').update(text).digest('hex');
    return { localPath, name: objectName('load', '2022-01', sha256), content };
  }

  function uploads(): number {
    return standin.requests.filter((r) => r.method === 'POST' && r.path.startsWith('/upload/')).length;
  }

  /** Descriptors of this process still open on `file` once closing has had up to a second to finish. */
  async function descriptorsLeftOpen(file: string): Promise<number> {
    const count = (): number =>
      fs.readdirSync('/proc/self/fd').filter((fd) => {
        try {
          return fs.readlinkSync(`/proc/self/fd/${fd}`) === file;
        } catch {
          return false; // closed since the directory was read
        }
      }).length;
    // A destroyed write stream closes its descriptor a moment after the pipeline has rejected.
    for (const deadline = Date.now() + 1000; count() > 0 && Date.now() < deadline;)
      await new Promise((r) => setTimeout(r, 10));
    return count();
  }

  it('put uploads a local gzip file and describes the stored object', async () => {
    const file = gzipFile('a.tsv.gz', 'ts\tvalue\n2022-01-01T00:00Z\t1\n');
    const stored = await store.put(file.name, file.localPath);
    expect(stored).to.deep.equal({
      store: 'gcs',
      bucket: BUCKET,
      name: file.name,
      bytes: file.content.length,
    });
    expect(standin.content(file.name)?.equals(file.content)).to.equal(true);
    expect(uploads()).to.equal(1);
  });

  it('put leaves an existing name alone and does not upload again', async () => {
    const first = gzipFile('first.tsv.gz', 'first\n');
    const second = gzipFile('second.tsv.gz', 'second, longer content\n');
    await store.put(first.name, first.localPath);
    const again = await store.put(first.name, second.localPath);
    expect(uploads()).to.equal(1);
    expect(again.bytes).to.equal(first.content.length);
    expect(standin.content(first.name)?.equals(first.content)).to.equal(true);
  });

  it('exists is false for a missing name and true once it is put', async () => {
    const file = gzipFile('a.tsv.gz', 'x\n');
    expect(await store.exists(file.name)).to.equal(false);
    await store.put(file.name, file.localPath);
    expect(await store.exists(file.name)).to.equal(true);
  });

  it('download gives back a 3 MB object byte for byte', async () => {
    const content = randomBytes(3 * 1024 * 1024 + 17);
    const localPath = path.join(dir, 'big.tsv.gz');
    fs.writeFileSync(localPath, content);
    const name = objectName('load', '2022-02', createHash('sha256').update(content).digest('hex'));
    await store.put(name, localPath);
    const downloaded = path.join(dir, 'downloaded.tsv.gz');
    await store.download(name, downloaded);
    expect(fs.readFileSync(downloaded).equals(content)).to.equal(true);
    expect(standin.requests.some((r) => r.method === 'GET' && r.path.includes('alt=media'))).to.equal(true);
  });

  it('download fails when the stored bytes no longer match their crc32c', async () => {
    const content = randomBytes(256 * 1024);
    const localPath = path.join(dir, 'a.tsv.gz');
    fs.writeFileSync(localPath, content);
    const name = objectName('load', '2022-03', createHash('sha256').update(content).digest('hex'));
    await store.put(name, localPath);
    standin.corrupt(name, 100_000);
    const downloaded = path.join(dir, 'downloaded.tsv.gz');
    const err = await rejection(store.download(name, downloaded));
    expect((err as Error & { code?: unknown }).code).to.equal('CONTENT_DOWNLOAD_MISMATCH');
    // A long-running importer must not leak a descriptor for every failed download (Linux only check).
    if (fs.existsSync('/proc/self/fd')) expect(await descriptorsLeftOpen(downloaded)).to.equal(0);
  });

  it('download of a missing name fails with 404', async () => {
    const err = await rejection(store.download('load/2022-01/missing.tsv.gz', path.join(dir, 'x')));
    expect((err as Error & { code?: unknown }).code).to.equal(404);
  });

  it('delete removes an object, and deleting a missing name is not an error', async () => {
    const file = gzipFile('a.tsv.gz', 'x\n');
    await store.put(file.name, file.localPath);
    await store.delete(file.name);
    expect(await store.exists(file.name)).to.equal(false);
    expect(standin.content(file.name)).to.equal(undefined);
    await store.delete(file.name);
  });

  it('list returns every name under a prefix, across result pages', async () => {
    const names = [
      'load/2022-01/a.tsv.gz',
      'load/2022-01/b.tsv.gz',
      'load/2022-01/c.tsv.gz',
      'load/2022-02/d.tsv.gz',
      'generation/2022-01/e.tsv.gz',
    ];
    const file = gzipFile('a.tsv.gz', 'x\n');
    for (const name of names) await store.put(name, file.localPath);

    const listRequests = (): number =>
      standin.requests.filter((r) => r.method === 'GET' && r.path.startsWith(`/storage/v1/b/${BUCKET}/o?`))
        .length;
    const before = listRequests();
    expect(await store.list('load/2022-01/')).to.deep.equal(names.slice(0, 3));
    expect(listRequests() - before).to.equal(2);
    expect(await store.list('load/')).to.deep.equal(names.slice(0, 4));
    expect(await store.list('')).to.have.members(names);
    expect(await store.list('load/2023-')).to.deep.equal([]);
  });
});
