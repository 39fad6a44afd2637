import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Temporary files (canonical files being written, downloads being imported) live in one directory per
 * process under `<dataDir>/tmp`, named `<pid>.<start>@<host>`, so a process that starts can tell the
 * leftovers of a crashed one from the files of one still running: on the same host a directory belongs
 * to a live process only if that pid is alive and started at the same time (a pid is reused after a
 * restart). A directory of another host (a shared volume) cannot be checked and goes only once nothing
 * in it has changed for a day, as does anything else found there (files of earlier versions).
 */
const PROCESS_DIR = /^(\d+)\.(\d+)@(.+)$/;
const UNCHECKED_STALE_MS = 24 * 3600_000;

function hostLabel(): string {
  return os.hostname().replace(/[^A-Za-z0-9.-]/g, '_') || 'localhost';
}

/** When process `pid` started, in clock ticks since boot (Linux); 0 where that cannot be read. */
export function processStart(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 22 of /proc/<pid>/stat, counted after the command name, which may hold spaces and parentheses.
    const start = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
    return Number(start ?? 0) || 0;
  } catch {
    return 0;
  }
}

/** The name of this process's own directory. */
export function processTempDir(root: string, pid = process.pid): string {
  return path.join(root, `${pid}.${processStart(pid)}@${hostLabel()}`);
}

function alive(pid: number, start: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  return start === 0 || processStart(pid) === start;
}

/** The newest modification time of anything under `entry`, and the bytes it holds. */
async function inspect(entry: string): Promise<{ newest: number; bytes: number }> {
  const stat = await fs.promises.lstat(entry);
  let newest = stat.mtimeMs;
  let bytes = stat.isFile() ? stat.size : 0;
  if (stat.isDirectory()) {
    for (const child of await fs.promises.readdir(entry)) {
      const inner = await inspect(path.join(entry, child)).catch(() => ({ newest: 0, bytes: 0 }));
      newest = Math.max(newest, inner.newest);
      bytes += inner.bytes;
    }
  }
  return { newest, bytes };
}

export interface RemovedTempFiles {
  /** Names of the entries removed under the root. */
  entries: string[];
  bytes: number;
}

/** Removes what crashed processes left under `root`, never the files of a live process. */
export async function removeStaleTempFiles(root: string, now = Date.now()): Promise<RemovedTempFiles> {
  const removed: RemovedTempFiles = { entries: [], bytes: 0 };
  const names = await fs.promises.readdir(root).catch(() => [] as string[]);
  const own = path.basename(processTempDir(root));
  const host = hostLabel();
  for (const name of names) {
    if (name === own) continue;
    const entry = path.join(root, name);
    const owner = PROCESS_DIR.exec(name);
    let stale: boolean;
    let bytes = 0;
    if (owner && owner[3] === host) {
      stale = !alive(Number(owner[1]), Number(owner[2]));
      if (stale) bytes = (await inspect(entry).catch(() => ({ bytes: 0 }))).bytes;
    } else {
      const seen = await inspect(entry).catch(() => null);
      if (seen === null) continue;
      stale = now - seen.newest > UNCHECKED_STALE_MS;
      bytes = seen.bytes;
    }
    if (!stale) continue;
    await fs.promises.rm(entry, { recursive: true, force: true });
    removed.entries.push(name);
    removed.bytes += bytes;
  }
  return removed;
}
