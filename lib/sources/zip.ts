import { pipeline, Transform, type Readable } from 'node:stream';
import zlib from 'node:zlib';
import yauzl from 'yauzl';
import { PermanentFileError } from './permanent-file-error.js';
import { UnreadableFileError } from './unreadable-file-error.js';

export interface OpenZipOptions {
  /** Names the file in error messages (the archive itself may be an anonymous temporary download). */
  label?: string;
  /**
   * Runs once: before the stream ends, when it fails or is destroyed, or when opening fails. A failure to
   * clean up is ignored: the reader has its data either way.
   */
  cleanup?: () => Promise<void>;
}

/**
 * Opens the first `.csv` entry of a ZIP file as a stream. An entry that fails its size or CRC-32 check
 * makes the stream fail at its end with an UnreadableFileError.
 */
export async function openFirstCsvEntry(zipPath: string, options: OpenZipOptions = {}): Promise<Readable> {
  const label = options.label ?? zipPath;
  let cleaned = false;
  const cleanup = async (): Promise<void> => {
    if (cleaned || !options.cleanup) return;
    cleaned = true;
    await options.cleanup();
  };
  try {
    let zip: yauzl.ZipFile;
    try {
      zip = await yauzl.openPromise(zipPath, { lazyEntries: true, autoClose: false });
    } catch (err) {
      // Also what a ZIP still being written looks like, so this is not a permanent failure at once.
      const reason = err instanceof Error ? err.message : String(err);
      throw new UnreadableFileError(`${label}: not a readable ZIP archive (${reason})`, { cause: err });
    }
    try {
      for await (const entry of zip.eachEntry()) {
        if (entry.fileName.endsWith('/') || !entry.fileName.toLowerCase().endsWith('.csv')) continue;
        const entryStream = await zip.openReadStreamPromise(entry);
        // yauzl checks the entry's size but not its CRC-32, which only the whole entry can be checked
        // against: a damaged byte that still inflates would pass as data. The reader sees an error instead
        // of the end, so whatever it made of the bytes so far is never used.
        let crc = 0;
        // Cleaning up in flush means the temporary file is gone by the time the reader sees the end.
        const out = new Transform({
          transform: (chunk: Buffer, _encoding, callback) => {
            crc = zlib.crc32(chunk, crc);
            callback(null, chunk);
          },
          flush: (callback) => {
            const damaged =
              crc === entry.crc32
                ? null
                : new UnreadableFileError(
                    `${label}: ${entry.fileName} fails its CRC-32 check (${hex(crc)}, the archive says ${hex(entry.crc32)}): the archive is damaged`,
                  );
            void cleanup()
              .catch(() => undefined)
              .finally(() => {
                callback(damaged);
              });
          },
        });
        pipeline(entryStream, out, (err) => {
          if (err) void cleanup().catch(() => undefined);
        });
        return out;
      }
      throw new PermanentFileError(`${label}: ZIP archive has no .csv entry`);
    } finally {
      // Only drops yauzl's own reference: an open entry stream keeps the file open until it is done.
      zip.close();
    }
  } catch (err) {
    await cleanup();
    throw err;
  }
}

function hex(crc: number): string {
  return crc.toString(16).padStart(8, '0');
}
