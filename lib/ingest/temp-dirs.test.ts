import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { tempDir } from '../../test/support/temp-dir.js';
import { processStart, processTempDir, removeStaleTempFiles } from './temp-dirs.js';

describe('temporary files of processes', function () {
  this.timeout(30_000);
  let root: string;
  const children: ChildProcess[] = [];
  const host = os.hostname().replace(/[^A-Za-z0-9.-]/g, '_');

  beforeEach(() => {
    root = tempDir();
  });

  afterEach(() => {
    for (const child of children.splice(0)) child.kill('SIGKILL');
    fs.rmSync(root, { recursive: true, force: true });
  });

  function sleeper(): ChildProcess {
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    children.push(child);
    return child;
  }

  function leave(dir: string, bytes: number): void {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'import-0123456789ab.tsv.gz'), Buffer.alloc(bytes));
  }

  it('removes what a dead process left and keeps the files of live ones, its own included', async function () {
    if (!fs.existsSync('/proc/self/stat')) this.skip();
    const live = sleeper();
    const dead = sleeper();
    const deadDir = processTempDir(root, dead.pid);
    dead.kill('SIGKILL');
    await once(dead, 'exit');
    leave(deadDir, 23_000);
    const liveDir = processTempDir(root, live.pid);
    leave(liveDir, 100);
    const own = processTempDir(root);
    leave(own, 100);
    // A live pid that started at another time: the pid of a crashed process, reused since.
    const reused = path.join(root, `${live.pid}.${processStart(live.pid ?? 0) + 1}@${host}`);
    leave(reused, 10);

    const removed = await removeStaleTempFiles(root);
    expect(removed.entries.sort()).to.deep.equal([path.basename(deadDir), path.basename(reused)].sort());
    expect(removed.bytes).to.equal(23_010);
    expect(fs.existsSync(liveDir)).to.equal(true);
    expect(fs.existsSync(own)).to.equal(true);
  });

  it('removes what it cannot attribute (another host, earlier versions) only after a day untouched', async () => {
    const otherHost = path.join(root, `123.456@elsewhere`);
    leave(otherHost, 5);
    const legacy = path.join(root, 'parse-0123456789ab.tsv.gz');
    fs.writeFileSync(legacy, 'x');
    expect((await removeStaleTempFiles(root)).entries).to.deep.equal([]);
    const twoDaysLater = Date.now() + 2 * 24 * 3600_000;
    expect((await removeStaleTempFiles(root, twoDaysLater)).entries.sort()).to.deep.equal(
      ['123.456@elsewhere', 'parse-0123456789ab.tsv.gz'].sort(),
    );
  });
});
