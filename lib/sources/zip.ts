import { PassThrough, pipeline, type Readable } from 'node:stream';
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

/** Opens the first `.csv` entry of a ZIP file as a stream. */
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
        // Cleaning up in flush means the temporary file is gone by the time the reader sees the end.
        const out = new PassThrough({
          flush: (callback) => {
            void cleanup()
              .catch(() => undefined)
              .finally(() => {
                callback();
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
