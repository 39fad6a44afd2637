import { finished, type Readable } from 'node:stream';
import yauzl from 'yauzl';
import { PermanentFileError } from './permanent-file-error.js';

export interface OpenZipOptions {
  /** Names the file in error messages (the archive itself may be an anonymous temporary download). */
  label?: string;
  /** Runs once: when the entry stream has ended, failed or been destroyed, or when opening fails. */
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
      // Also what a ZIP still being written looks like, so this is not a permanent failure.
      throw new Error(`${label}: not a readable ZIP archive (${err instanceof Error ? err.message : String(err)})`, {
        cause: err,
      });
    }
    try {
      for await (const entry of zip.eachEntry()) {
        if (entry.fileName.endsWith('/') || !entry.fileName.toLowerCase().endsWith('.csv')) continue;
        const stream = await zip.openReadStreamPromise(entry);
        finished(stream, () => void cleanup().catch(() => undefined));
        return stream;
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
