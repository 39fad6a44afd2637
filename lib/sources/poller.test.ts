import { expect } from 'chai';
import { mkdir, rm, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { FolderSource } from './folder-source.js';
import {
  MemorySeenStore,
  PermanentFileError,
  SourcePoller,
  type PollerLogger,
  type SourcePollerOptions,
} from './poller.js';
import type { RemoteFile } from './source.js';
import { UnreadableFileError } from './unreadable-file-error.js';
import { legacyCsv, makeTempDir, readAll, type TempDir } from './test-fixtures.js';

/** A real folder source that also counts how many listings run at once. */
class CountingFolderSource extends FolderSource {
  listings = 0;
  active = 0;
  maxActive = 0;
  /** Runs after each listing, with its number: lets a test change files between two listings. */
  afterListing: (n: number) => Promise<void> = () => Promise.resolve();

  override async list(signal?: AbortSignal): Promise<RemoteFile[]> {
    this.listings++;
    this.active++;
    this.maxActive = Math.max(this.maxActive, this.active);
    try {
      return await super.list(signal);
    } finally {
      this.active--;
      await this.afterListing(this.listings);
    }
  }
}

interface LogLine {
  level: string;
  message: string;
  details: Record<string, unknown> | undefined;
}

describe('SourcePoller', () => {
  let dir: TempDir;
  let source: CountingFolderSource;
  let seen: MemorySeenStore;
  let handled: string[];
  let logs: LogLine[];
  let poller: SourcePoller | null;
  const logger: PollerLogger = {
    info: (message, details) => logs.push({ level: 'info', message, details }),
    warn: (message, details) => logs.push({ level: 'warn', message, details }),
    error: (message, details) => logs.push({ level: 'error', message, details }),
  };

  const loadFile = (): string =>
    path.join(dir.path, 'ActualTotalLoad_6.1.A', '2022_01_ActualTotalLoad_6.1.A.csv');

  beforeEach(async () => {
    dir = await makeTempDir('poller');
    await mkdir(path.join(dir.path, 'ActualTotalLoad_6.1.A'));
    await writeFile(loadFile(), legacyCsv('load', 2));
    source = new CountingFolderSource(dir.path);
    seen = new MemorySeenStore();
    handled = [];
    logs = [];
    poller = null;
  });

  afterEach(async () => {
    await poller?.stop();
    await dir.remove();
  });

  function makePoller(options: Partial<SourcePollerOptions> = {}): SourcePoller {
    poller = new SourcePoller({
      source,
      seen,
      intervalMs: 20,
      settleMs: 0,
      logger,
      onFile: async (file, from) => {
        await readAll(await from.open(file));
        handled.push(file.name);
      },
      ...options,
    });
    return poller;
  }

  it('hands a new file to onFile once, and not again while it is unchanged', async () => {
    const p = makePoller();
    expect(await p.pollOnce()).to.deep.equal({ listed: 1, handled: 1, failed: 0, rejected: 0, unsettled: 0 });
    expect(await p.pollOnce()).to.deep.equal({ listed: 1, handled: 0, failed: 0, rejected: 0, unsettled: 0 });
    expect(handled).to.deep.equal(['2022_01_ActualTotalLoad_6.1.A.csv']);
  });

  it('hands a file over again when its size changes', async () => {
    const p = makePoller();
    await p.pollOnce();
    await writeFile(loadFile(), legacyCsv('load', 5));
    await p.pollOnce();
    expect(handled).to.have.length(2);
  });

  it('hands a file over again when only its modification time changes', async () => {
    const p = makePoller();
    await p.pollOnce();
    await utimes(loadFile(), new Date('2022-02-01T00:00:00Z'), new Date('2022-02-01T00:00:00Z'));
    await p.pollOnce();
    expect(handled).to.have.length(2);
  });

  it('remembers handled files across pollers through the SeenStore', async () => {
    await makePoller().pollOnce();
    expect((await makePoller().pollOnce()).handled).to.equal(0);
    expect(handled).to.have.length(1);
  });

  it('retries a file whose handler failed at the next poll', async () => {
    let attempts = 0;
    const p = makePoller({
      onFile: () => {
        attempts++;
        return attempts === 1 ? Promise.reject(new Error('ClickHouse is down')) : Promise.resolve();
      },
    });
    expect((await p.pollOnce()).failed).to.equal(1);
    expect((await p.pollOnce()).handled).to.equal(1);
    expect((await p.pollOnce()).handled).to.equal(0);
    expect(attempts).to.equal(2);
    expect(logs.filter((l) => l.level === 'warn').map((l) => l.details?.error)).to.deep.equal([
      'ClickHouse is down',
    ]);
  });

  it('records a file that failed permanently so that it is not retried until it changes', async () => {
    let attempts = 0;
    const p = makePoller({
      onFile: () => {
        attempts++;
        return Promise.reject(new PermanentFileError('unrecognized header'));
      },
    });
    expect((await p.pollOnce()).rejected).to.equal(1);
    expect((await p.pollOnce()).rejected).to.equal(0);
    expect(attempts).to.equal(1);
    await writeFile(loadFile(), legacyCsv('load', 3));
    expect((await p.pollOnce()).rejected).to.equal(1);
    expect(attempts).to.equal(2);
  });

  it('gives up on a file that stays unreadable after three attempts of one version, and hands it over once', async () => {
    let attempts = 0;
    const rejected: string[] = [];
    const p = makePoller({
      onFile: () => {
        attempts++;
        return Promise.reject(new UnreadableFileError('not a readable ZIP archive'));
      },
      onRejected: (file, _source, err) => {
        rejected.push(`${file.name}: ${(err as Error).message}`);
        return Promise.resolve();
      },
    });
    expect(await p.pollOnce()).to.include({ failed: 1, rejected: 0 });
    expect(await p.pollOnce()).to.include({ failed: 1, rejected: 0 });
    expect(await p.pollOnce()).to.include({ failed: 0, rejected: 1 });
    expect(await p.pollOnce()).to.include({ failed: 0, rejected: 0, handled: 0 });
    expect(attempts).to.equal(3);
    expect(rejected).to.deep.equal(['2022_01_ActualTotalLoad_6.1.A.csv: not a readable ZIP archive']);
    // A new version is a new file: it gets its attempts again.
    await writeFile(loadFile(), legacyCsv('load', 3));
    expect(await p.pollOnce()).to.include({ failed: 1 });
    expect(attempts).to.equal(4);
  });

  it('keeps retrying a file whose failure is not about the file, however often it fails', async () => {
    let attempts = 0;
    const p = makePoller({
      onFile: () => {
        attempts++;
        return Promise.reject(new Error('ENOSPC: no space left on device'));
      },
      onRejected: () => Promise.reject(new Error('must not be called')),
    });
    for (let i = 0; i < 6; i++) expect(await p.pollOnce()).to.include({ failed: 1, rejected: 0 });
    expect(attempts).to.equal(6);
  });

  it('hands a permanently failed file to onRejected, and tries it again when that fails', async () => {
    let calls = 0;
    const p = makePoller({
      onFile: () => Promise.reject(new PermanentFileError('ZIP archive has no .csv entry')),
      onRejected: () => {
        calls++;
        return calls === 1 ? Promise.reject(new Error('NATS is down')) : Promise.resolve();
      },
    });
    expect(await p.pollOnce()).to.include({ failed: 1, rejected: 0 });
    expect(await p.pollOnce()).to.include({ failed: 0, rejected: 1 });
    expect(await p.pollOnce()).to.include({ failed: 0, rejected: 0 });
    expect(calls).to.equal(2);
  });

  it('takes a predicate that marks other error types as permanent', async () => {
    class FileError extends Error {}
    const p = makePoller({
      onFile: () => Promise.reject(new FileError('wrong_dataset')),
      isPermanent: (err) => err instanceof FileError,
    });
    expect((await p.pollOnce()).rejected).to.equal(1);
    expect((await p.pollOnce()).rejected).to.equal(0);
  });

  it('handles files one at a time, ordered by dataset and then name', async () => {
    await mkdir(path.join(dir.path, 'PhysicalFlows_12.1.G'));
    await mkdir(path.join(dir.path, 'AggregatedGenerationPerType_16.1.B_C'));
    await writeFile(
      path.join(dir.path, 'PhysicalFlows_12.1.G', '2022_01_PhysicalFlows_12.1.G.csv'),
      legacyCsv('flows', 1),
    );
    await writeFile(
      path.join(dir.path, 'ActualTotalLoad_6.1.A', '2021_12_ActualTotalLoad_6.1.A.csv'),
      legacyCsv('load', 1),
    );
    const generation = path.join(dir.path, 'AggregatedGenerationPerType_16.1.B_C');
    await writeFile(
      path.join(generation, '2022_01_AggregatedGenerationPerType_16.1.B_C.csv'),
      legacyCsv('generation', 1),
    );
    let active = 0;
    let maxActive = 0;
    const p = makePoller({
      onFile: async (file) => {
        active++;
        maxActive = Math.max(maxActive, active);
        await sleep(10);
        handled.push(file.name);
        active--;
      },
    });
    await p.pollOnce();
    expect(maxActive).to.equal(1);
    expect(handled).to.deep.equal([
      '2021_12_ActualTotalLoad_6.1.A.csv',
      '2022_01_ActualTotalLoad_6.1.A.csv',
      '2022_01_AggregatedGenerationPerType_16.1.B_C.csv',
      '2022_01_PhysicalFlows_12.1.G.csv',
    ]);
  });

  it('skips files of other datasets and of no known dataset when told which datasets to take', async () => {
    await writeFile(path.join(dir.path, 'readme.csv'), 'no dataset');
    await mkdir(path.join(dir.path, 'PhysicalFlows_12.1.G'));
    await writeFile(
      path.join(dir.path, 'PhysicalFlows_12.1.G', '2022_01_PhysicalFlows_12.1.G.csv'),
      legacyCsv('flows', 1),
    );
    const result = await makePoller({ datasets: ['load'] }).pollOnce();
    expect(result.listed).to.equal(1);
    expect(handled).to.deep.equal(['2022_01_ActualTotalLoad_6.1.A.csv']);
  });

  it('joins a poll under way instead of starting a second one', async () => {
    const p = makePoller({
      onFile: async (file) => {
        await sleep(50);
        handled.push(file.name);
      },
    });
    const [a, b] = await Promise.all([p.pollOnce(), p.pollOnce()]);
    expect(a).to.equal(b);
    expect(source.listings).to.equal(1);
    expect(handled).to.have.length(1);
  });

  it('never overlaps polls when a file takes longer than the interval', async () => {
    let active = 0;
    let maxActive = 0;
    await writeFile(
      path.join(dir.path, 'ActualTotalLoad_6.1.A', '2022_02_ActualTotalLoad_6.1.A.csv'),
      legacyCsv('load', 1),
    );
    const p = makePoller({
      intervalMs: 5,
      onFile: async (file) => {
        active++;
        maxActive = Math.max(maxActive, active);
        await sleep(60);
        active--;
        handled.push(file.name);
      },
    });
    p.start();
    await sleep(250);
    await p.stop();
    expect(maxActive).to.equal(1);
    expect(source.maxActive).to.equal(1);
    expect(source.listings).to.be.at.least(3);
    expect(handled).to.have.length(2);
  });

  it('waits for a file still being written to settle before handing it over', async () => {
    source.afterListing = async (n) => {
      if (n === 1) await writeFile(loadFile(), legacyCsv('load', 4));
    };
    const p = makePoller({ settleMs: 50 });
    expect(await p.pollOnce()).to.include({ handled: 0, unsettled: 1 });
    expect(await p.pollOnce()).to.include({ handled: 1, unsettled: 0 });
    expect(source.listings).to.equal(4);
    expect(handled).to.have.length(1);
    expect(logs.filter((l) => l.level === 'info').map((l) => l.details?.file)).to.deep.equal([
      'ActualTotalLoad_6.1.A/2022_01_ActualTotalLoad_6.1.A.csv',
    ]);
  });

  it('logs a failed listing and keeps polling until the source is back', async () => {
    await rm(dir.path, { recursive: true });
    const p = makePoller({ intervalMs: 20 });
    p.start();
    await sleep(70);
    expect(logs.some((l) => l.level === 'error' && l.message.startsWith('listing failed'))).to.equal(true);
    await mkdir(path.dirname(loadFile()), { recursive: true });
    await writeFile(loadFile(), legacyCsv('load', 2));
    await sleep(100);
    await p.stop();
    expect(handled).to.deep.equal(['2022_01_ActualTotalLoad_6.1.A.csv']);
  });

  it('lets stop() wait for the file being handled and start no further file', async () => {
    await writeFile(
      path.join(dir.path, 'ActualTotalLoad_6.1.A', '2022_02_ActualTotalLoad_6.1.A.csv'),
      legacyCsv('load', 1),
    );
    let started = 0;
    const p = makePoller({
      intervalMs: 10_000,
      onFile: async (file) => {
        started++;
        await sleep(100);
        handled.push(file.name);
      },
    });
    p.start();
    await sleep(30);
    await p.stop();
    expect(started).to.equal(1);
    expect(handled).to.deep.equal(['2022_01_ActualTotalLoad_6.1.A.csv']);
    expect(await seen.get('ActualTotalLoad_6.1.A/2022_01_ActualTotalLoad_6.1.A.csv')).to.be.a('string');
    expect(await seen.get('ActualTotalLoad_6.1.A/2022_02_ActualTotalLoad_6.1.A.csv')).to.equal(undefined);
  });

  it('does not record a file whose version could not be stored, so it is handled again', async () => {
    const failing: MemorySeenStore = Object.assign(new MemorySeenStore(), {
      set: () => Promise.reject(new Error('KV unavailable')),
    });
    const p = makePoller({ seen: failing });
    expect(await p.pollOnce()).to.include({ handled: 0, failed: 1 });
    expect(await p.pollOnce()).to.include({ failed: 1 });
    expect(handled).to.have.length(2);
  });
});
