import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export interface TempFile {
  path: string;
  /** Deletes the file and its directory; safe to call more than once. */
  remove: () => Promise<void>;
}

/**
 * A path for a download in a fresh private directory, so that concurrent downloads of equally named
 * files never collide and removing the directory leaves nothing behind.
 */
export async function createTempFile(fileName: string, tmpDir: string = os.tmpdir()): Promise<TempFile> {
  await mkdir(tmpDir, { recursive: true });
  const dir = await mkdtemp(path.join(tmpDir, 'energylive-'));
  return {
    path: path.join(dir, path.basename(fileName)),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
