import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { addAbortSignal, type Readable } from 'node:stream';
import { datasetFromName, isDataFileName, isOtherItemFolder, isZipName } from './dataset-name.js';
import type { RemoteFile, Source } from './source.js';
import { openFirstCsvEntry } from './zip.js';

/** ENTSO-E files in a local folder and its subfolders, e.g. a mounted copy of `/TP_export/`. */
export class FolderSource implements Source {
  readonly kind = 'folder';
  readonly root: string;

  constructor(root: string) {
    this.root = path.resolve(root);
  }

  describe(): string {
    return `folder ${this.root}`;
  }

  async list(signal?: AbortSignal): Promise<RemoteFile[]> {
    const files: RemoteFile[] = [];
    await this.walk(this.root, files, signal);
    return files;
  }

  private async walk(dir: string, files: RemoteFile[], signal: AbortSignal | undefined): Promise<void> {
    signal?.throwIfAborted();
    const entries = await readdir(dir, { withFileTypes: true });
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!isOtherItemFolder(entry.name)) await this.walk(full, files, signal);
      } else if (entry.isFile() && isDataFileName(entry.name)) {
        // The file may be gone by now (replaced by a rename); it shows up again at the next listing.
        const stats = await stat(full).catch(() => null);
        if (!stats) continue;
        const key = path.relative(this.root, full).split(path.sep).join('/');
        files.push({
          key,
          name: entry.name,
          dataset: datasetFromName(full),
          size: stats.size,
          version: `${stats.size}:${stats.mtime.getTime()}`,
        });
      }
    }
  }

  async open(file: RemoteFile, signal?: AbortSignal): Promise<Readable> {
    const full = path.resolve(this.root, file.key);
    // Keys can come back from a store or a message: never let one reach outside the folder.
    if (!full.startsWith(this.root + path.sep))
      throw new Error(`file key "${file.key}" is outside ${this.root}`);
    signal?.throwIfAborted();
    if (isZipName(file.name)) {
      const stream = await openFirstCsvEntry(full);
      return signal ? addAbortSignal(signal, stream) : stream;
    }
    return createReadStream(full, { signal });
  }

  close(): Promise<void> {
    // Nothing is held open between calls.
    return Promise.resolve();
  }
}
