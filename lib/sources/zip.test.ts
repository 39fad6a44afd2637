import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import zlib from 'node:zlib';
import { expect } from 'chai';
import { parseStream } from '../entsoe/parse-stream.js';
import { legacyCsv, makeTempDir, readAll, zipOf, type TempDir } from './test-fixtures.js';
import { UnreadableFileError } from './unreadable-file-error.js';
import { openFirstCsvEntry } from './zip.js';

/** Where the first entry's data lies in an archive: after its local header, name and extra field. */
function firstEntryData(zip: Buffer): { start: number; size: number } {
  const start = 30 + zip.readUInt16LE(26) + zip.readUInt16LE(28);
  return { start, size: zip.readUInt32LE(18) };
}

/**
 * The archive with one bit of its compressed data flipped such that the data still inflates, to bytes of
 * the same length (`sameLength`) or of another length: what one damaged byte often does to a ZIP.
 */
function damagedDeflate(zip: Buffer, sameLength: boolean): Buffer {
  const { start, size } = firstEntryData(zip);
  const original = zlib.inflateRawSync(zip.subarray(start, start + size));
  // Past the first part, which holds the header: a damaged header is refused before the end is read.
  for (let i = start + Math.floor(size / 2); i < start + size; i++) {
    for (let bit = 1; bit < 256; bit <<= 1) {
      const damaged = Buffer.from(zip);
      damaged[i] = (damaged[i] as number) ^ bit;
      let out: Buffer;
      try {
        out = zlib.inflateRawSync(damaged.subarray(start, start + size));
      } catch {
        continue;
      }
      if (!out.equals(original) && (out.length === original.length) === sameLength) return damaged;
    }
  }
  throw new Error('no such damage found');
}

describe('openFirstCsvEntry', () => {
  let dir: TempDir;
  const csv = legacyCsv('load', 400);

  beforeEach(async () => {
    dir = await makeTempDir('zip');
  });

  afterEach(async () => {
    await dir.remove();
  });

  async function archive(bytes: Buffer): Promise<string> {
    const file = path.join(dir.path, '2022_01_ActualTotalLoad_6.1.A.zip');
    await writeFile(file, bytes);
    return file;
  }

  async function readError(bytes: Buffer): Promise<unknown> {
    return readAll(await openFirstCsvEntry(await archive(bytes))).then(
      () => expect.fail('the damaged entry was read to its end'),
      (err: unknown) => err,
    );
  }

  it('reads stored and deflated entries whose bytes match their CRC-32', async () => {
    for (const compress of [true, false]) {
      const file = await archive(await zipOf([['a.csv', csv]], { compress }));
      expect(await readAll(await openFirstCsvEntry(file))).to.equal(csv);
    }
  });

  it('fails a stored entry with one damaged data byte at its end, as unreadable', async () => {
    const zip = await zipOf([['a.csv', csv]], { compress: false });
    // One value digit: the file would parse to 400 good rows, one of them with a wrong value.
    const at = zip.indexOf('6250.00');
    expect(at).to.be.above(firstEntryData(zip).start);
    zip[at + 1] = '9'.charCodeAt(0);
    const err = await readError(zip);
    expect(err).to.be.instanceOf(UnreadableFileError);
    expect((err as Error).message).to.match(/a\.csv .*CRC-32/);
  });

  it('fails a deflated entry whose damaged data inflates to as many bytes, as unreadable', async () => {
    const err = await readError(damagedDeflate(await zipOf([['a.csv', csv]]), true));
    expect(err).to.be.instanceOf(UnreadableFileError);
    expect((err as Error).message).to.match(/CRC-32/);
  });

  it('fails a deflated entry whose damaged data inflates to another size', async () => {
    const err = await readError(damagedDeflate(await zipOf([['a.csv', csv]]), false));
    expect((err as Error).message).to.match(/bytes in the stream/);
  });

  it('makes the parse of a damaged entry fail as unreadable, so nothing of it is published', async () => {
    const damaged = damagedDeflate(await zipOf([['a.csv', csv]]), true);
    const written: Buffer[] = [];
    const err = await parseStream(await openFirstCsvEntry(await archive(damaged)), {
      write: (chunk) => void written.push(Buffer.from(chunk)),
    }).then(
      () => expect.fail('the damaged entry was parsed'),
      (e: unknown) => e,
    );
    expect(err).to.be.instanceOf(UnreadableFileError);
    expect((err as Error).message).to.match(/CRC-32/);
  });
});
