import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { expect } from 'chai';
import { entsoeFile, seriesRows } from '../../test/support/entsoe-fixture.js';
import { tempDir } from '../../test/support/temp-dir.js';
import { writeCanonicalFile } from './canonical-file.js';

describe('writeCanonicalFile', function () {
  this.timeout(60_000);
  let dir: string;

  beforeEach(() => {
    dir = tempDir();
  });

  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** About 60 MB of load rows whose area names are random, so the gzip output is large too. */
  function* bigFile(): Generator<Buffer> {
    const header = entsoeFile('load', 'snapshot', []);
    yield header;
    for (let k = 0; k < 300; k++) {
      const rows = seriesRows({ dataset: 'load', from: '2022-07-01 00:00', intervals: 1000 }).map((r) => ({
        ...r,
        area_name: crypto.randomBytes(60).toString('base64'),
      }));
      yield entsoeFile('load', 'snapshot', rows).subarray(header.length);
    }
  }

  it('fails with the disk error when the disk is full, instead of waiting forever', async function () {
    if (!fs.existsSync('/dev/full')) this.skip();
    // Every write to /dev/full fails with ENOSPC; the link keeps the device itself out of the clean-up.
    const out = path.join(dir, 'full.tsv.gz');
    fs.symlinkSync('/dev/full', out);
    const unhandled: unknown[] = [];
    const onUnhandled = (err: unknown) => unhandled.push(err);
    process.on('unhandledRejection', onUnhandled);
    try {
      const outcome = await Promise.race([
        writeCanonicalFile(Readable.from(bigFile()), out, {}).then(
          () => 'written',
          (err: unknown) => err,
        ),
        new Promise((resolve) => setTimeout(resolve, 30_000, 'still waiting after 30 s')),
      ]);
      expect(outcome).to.be.instanceOf(Error);
      expect((outcome as NodeJS.ErrnoException).code).to.equal('ENOSPC');
      expect(unhandled).to.deep.equal([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
