import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { connect, type NatsConnection, type ObjectStore } from 'nats';
import { startNatsServer, type TestNatsServer } from '../../test/support/nats-server.js';
import { tempDir } from '../../test/support/temp-dir.js';
import type { FileStore } from './file-store.js';
import { openNatsFileStore } from './nats-file-store.js';
import { rejection } from '../../test/support/rejection.js';

describe('NATS file store (JetStream Object Store)', () => {
  let nats: TestNatsServer | undefined;
  let nc: NatsConnection | undefined;
  let dir: string;
  let bucket: string;
  let store: FileStore;
  let bucketCount = 0;

  before(async () => {
    nats = await startNatsServer();
    nc = await connect({ servers: nats.url });
  });

  after(async () => {
    await nc?.close();
    await nats?.stop();
  });

  beforeEach(async () => {
    // A bucket per test keeps each test's objects and stream counts to itself on the shared server.
    bucket = `files-${++bucketCount}`;
    store = await openNatsFileStore(nc!, bucket);
    dir = tempDir('energylive-nats-store-');
  });

  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function localFile(fileName: string, content: Buffer | string): string {
    const localPath = path.join(dir, fileName);
    fs.writeFileSync(localPath, content);
    return localPath;
  }

  async function objectStore(): Promise<ObjectStore> {
    return nc!.jetstream().views.os(bucket);
  }

  /** Messages in the bucket's stream: chunks plus one metadata entry per name. */
  async function streamMessages(): Promise<number> {
    const info = await (await nc!.jetstreamManager()).streams.info(`OBJ_${bucket}`);
    return info.state.messages;
  }

  it('put stores a local file and describes the stored object', async () => {
    const content = Buffer.from('ts\tvalue\n2022-01-01T00:00Z\t1\n');
    const stored = await store.put('load/2022-01/a.tsv.gz', localFile('a.tsv.gz', content));
    expect(stored).to.deep.equal({
      store: 'nats',
      bucket,
      name: 'load/2022-01/a.tsv.gz',
      bytes: content.length,
    });
    expect(store.kind).to.equal('nats');
    expect(store.bucket).to.equal(bucket);
  });

  it('put of an existing name keeps the first object and writes nothing', async () => {
    const first = Buffer.from('first\n');
    await store.put('load/2022-01/a.tsv.gz', localFile('first.tsv.gz', first));
    const messages = await streamMessages();
    const again = await store.put('load/2022-01/a.tsv.gz', localFile('second.tsv.gz', 'second, longer\n'));
    expect(again.bytes).to.equal(first.length);
    expect(await streamMessages()).to.equal(messages);
    const downloaded = path.join(dir, 'downloaded.tsv.gz');
    await store.download('load/2022-01/a.tsv.gz', downloaded);
    expect(fs.readFileSync(downloaded).equals(first)).to.equal(true);
  });

  it('exists is false for a missing name and true once it is put', async () => {
    expect(await store.exists('load/2022-01/a.tsv.gz')).to.equal(false);
    await store.put('load/2022-01/a.tsv.gz', localFile('a.tsv.gz', 'x\n'));
    expect(await store.exists('load/2022-01/a.tsv.gz')).to.equal(true);
  });

  it('download gives back a 3 MB object, stored in many chunks, byte for byte', async () => {
    const content = randomBytes(3 * 1024 * 1024 + 17);
    await store.put('load/2022-02/big.tsv.gz', localFile('big.tsv.gz', content));
    const info = await (await objectStore()).info('load/2022-02/big.tsv.gz');
    expect(info?.chunks).to.be.greaterThan(20);
    const downloaded = path.join(dir, 'downloaded.tsv.gz');
    await store.download('load/2022-02/big.tsv.gz', downloaded);
    expect(fs.readFileSync(downloaded).equals(content)).to.equal(true);
  });

  it('download fails when a stored chunk no longer matches the object digest', async () => {
    const content = randomBytes(512 * 1024);
    await store.put('load/2022-03/a.tsv.gz', localFile('a.tsv.gz', content));
    const info = (await (await objectStore()).info('load/2022-03/a.tsv.gz'))!;
    // Rewrites the chunks in place with one byte flipped, leaving the recorded digest as it was.
    const chunkSubject = `$O.${bucket}.C.${info.nuid}`;
    await (await nc!.jetstreamManager()).streams.purge(`OBJ_${bucket}`, { filter: chunkSubject });
    const corrupt = Buffer.from(content);
    corrupt[300_000] = (corrupt[300_000] ?? 0) ^ 0xff;
    const chunkSize = info.options?.max_chunk_size ?? 128 * 1024;
    for (let at = 0; at < corrupt.length; at += chunkSize)
      await nc!.jetstream().publish(chunkSubject, corrupt.subarray(at, at + chunkSize));

    const err = await rejection(store.download('load/2022-03/a.tsv.gz', path.join(dir, 'downloaded.tsv.gz')));
    expect(err.message).to.match(/corrupt|digest/i);
  });

  it('download of a missing name fails', async () => {
    const err = await rejection(store.download('load/2022-01/missing.tsv.gz', path.join(dir, 'x')));
    expect(err.message).to.match(/not found/);
  });

  it('delete removes an object, deleting a missing name is not an error, and the name can be put again', async () => {
    await store.put('load/2022-01/a.tsv.gz', localFile('a.tsv.gz', 'first\n'));
    await store.delete('load/2022-01/a.tsv.gz');
    expect(await store.exists('load/2022-01/a.tsv.gz')).to.equal(false);
    expect(await store.list('load/')).to.deep.equal([]);
    await store.delete('load/2022-01/a.tsv.gz');
    await store.delete('load/2022-01/never.tsv.gz');

    const again = await store.put('load/2022-01/a.tsv.gz', localFile('b.tsv.gz', 'second\n'));
    expect(again.bytes).to.equal('second\n'.length);
    const downloaded = path.join(dir, 'downloaded.tsv.gz');
    await store.download('load/2022-01/a.tsv.gz', downloaded);
    expect(fs.readFileSync(downloaded, 'utf8')).to.equal('second\n');
  });

  it('writes objects nats.js reads and verifies, and reads objects nats.js wrote', async () => {
    const content = randomBytes(700 * 1024);
    const os = await objectStore();
    await store.put('ours.bin', localFile('ours.bin', content));
    const theirs = await os.get('ours.bin');
    const chunks: Uint8Array[] = [];
    for await (const c of theirs!.data as unknown as AsyncIterable<Uint8Array>) chunks.push(c);
    expect(await theirs!.error).to.not.be.instanceOf(Error);
    expect(Buffer.concat(chunks).equals(content)).to.equal(true);

    await os.putBlob({ name: 'theirs.bin' }, content);
    const target = path.join(dir, 'theirs.out');
    await store.download('theirs.bin', target);
    expect(fs.readFileSync(target).equals(content)).to.equal(true);
  });

  it('list returns the names under a prefix', async () => {
    const names = [
      'load/2022-01/a.tsv.gz',
      'load/2022-01/b.tsv.gz',
      'load/2022-02/c.tsv.gz',
      'generation/2022-01/d.tsv.gz',
    ];
    const localPath = localFile('a.tsv.gz', 'x\n');
    for (const name of names) await store.put(name, localPath);
    expect(await store.list('load/2022-01/')).to.have.members(names.slice(0, 2));
    expect(await store.list('load/')).to.have.members(names.slice(0, 3));
    expect(await store.list('')).to.have.members(names);
    expect(await store.list('load/2023-')).to.deep.equal([]);
  });
});
