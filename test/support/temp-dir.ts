import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A fresh directory under the system temp folder; remove it with `fs.rmSync(dir, { recursive: true })`. */
export function tempDir(prefix = 'energylive-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}
