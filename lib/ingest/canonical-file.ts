import fs from 'node:fs';
import { once } from 'node:events';
import { createGzip, type ZlibOptions } from 'node:zlib';
import { parseStream, type ParseOptions, type ParseResult } from '../entsoe/parse-stream.js';

export interface CanonicalFile extends ParseResult {
  path: string;
  gzipBytes: number;
}

/**
 * Parses a source file into a gzip-compressed canonical file on local disk. Compression runs on libuv's
 * thread pool, beside the parser on the main thread; level 1 because ClickHouse reads any level equally
 * fast and the file is stored only until imported and retained for replays.
 */
export async function writeCanonicalFile(
  input: AsyncIterable<Buffer | string>,
  outPath: string,
  options: Omit<ParseOptions, 'write'>,
): Promise<CanonicalFile> {
  // A deep buffer lets the parser run ahead of the compressor instead of waiting on it chunk by chunk.
  const gzip = createGzip({ level: 1, chunkSize: 1 << 20, writableHighWaterMark: 8 << 20 } as ZlibOptions);
  const file = fs.createWriteStream(outPath);
  // A failed write (a full disk) stops the file, after which gzip would never drain: every wait on
  // gzip also ends when writing has failed, and the parse fails with the write's error.
  const failure: { error: Error | null } = { error: null };
  const piped = new Promise<void>((resolve, reject) => {
    const fail = (err: Error) => {
      failure.error ??= err;
      reject(err);
    };
    gzip.on('error', fail);
    file.on('error', fail);
    file.on('finish', resolve);
  });
  piped.catch(() => undefined);
  gzip.pipe(file);
  try {
    const result = await parseStream(input, {
      ...options,
      write: async (chunk) => {
        if (failure.error) throw failure.error;
        if (!gzip.write(chunk)) await Promise.race([once(gzip, 'drain'), piped]);
      },
    });
    gzip.end();
    await piped;
    return { ...result, path: outPath, gzipBytes: file.bytesWritten };
  } catch (err) {
    gzip.destroy();
    file.destroy();
    await fs.promises.rm(outPath, { force: true });
    throw err;
  }
}
