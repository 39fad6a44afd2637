/**
 * Peak memory of the parser on a file far larger than any month: the month file's rows repeated `times`
 * times, streamed through parse, validation and compression to a discarded output. Prints one JSON line.
 */
import fs from 'node:fs';
import { Writable } from 'node:stream';
import { once } from 'node:events';
import { createGzip, type ZlibOptions } from 'node:zlib';
import { parseStream } from '../lib/entsoe/parse-stream.js';

const [file, timesArg] = process.argv.slice(2);
if (!file || !timesArg) throw new Error('usage: parse-large.ts <file> <times>');
const times = Number(timesArg);

async function* repeated(): AsyncGenerator<Buffer> {
  for (let i = 0; i < times; i++) {
    let first = true;
    for await (const chunk of fs.createReadStream(file as string, { highWaterMark: 1 << 20 })) {
      const piece = chunk as Buffer;
      if (i > 0 && first) {
        // Later copies without their header line, so the result reads as one long file.
        yield piece.subarray(piece.indexOf(0x0a) + 1);
      } else yield piece;
      first = false;
    }
  }
}

const gzip = createGzip({ level: 1, chunkSize: 1 << 20, writableHighWaterMark: 8 << 20 } as ZlibOptions);
gzip.pipe(
  new Writable({
    write: (_chunk, _enc, done) => {
      done();
    },
  }),
);
const started = process.hrtime.bigint();
const result = await parseStream(repeated(), {
  write: async (chunk) => {
    if (!gzip.write(chunk)) await once(gzip, 'drain');
  },
});
gzip.end();
process.stdout.write(
  `${JSON.stringify({ ms: Number(process.hrtime.bigint() - started) / 1e6, bytes: result.bytesIn, rows: result.rows, maxRssMB: process.resourceUsage().maxRSS / 1024 })}\n`,
);
