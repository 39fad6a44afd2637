import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { expect } from 'chai';
import { connect, type NatsConnection } from 'nats';
import type { ServiceBroker } from 'moleculer';
import { createBroker } from '../../actors/runtime/broker.js';
import type { DeadLetter, ImportDone, ImportFailed } from '../../lib/pipeline/messages.js';
import { writeCanonicalFile } from '../../lib/ingest/canonical-file.js';
import { publishFile } from '../../lib/pipeline/publish-file.js';
import { BUCKETS, STREAMS, subjects } from '../../lib/pipeline/subjects.js';
import { openNatsFileStore } from '../../lib/storage/nats-file-store.js';
import { testConfig } from '../support/config.js';
import { EnergyLiveProcess, event } from '../support/energylive-process.js';
import { FIXTURE_AREAS, entsoeFile, seriesRows, type FixtureRow } from '../support/entsoe-fixture.js';
import { startNatsServer, type TestNatsServer } from '../support/nats-server.js';
import { tempDir } from '../support/temp-dir.js';

const MOUNT_SIZE = '256m';
/** What the disk keeps free while it is "full": far less than one canonical file. */
const LEFT_FREE = 256 * 1024;
const SPACE_ERROR = /ENOSPC|No space left|NOT_ENOUGH_SPACE|not enough space/i;

/** A month of generation for 100 series; its canonical file alone is larger than what a full disk has left. */
function month(name: string): { bytes: Buffer; rows: number } {
  const rows: FixtureRow[] = FIXTURE_AREAS.slice(0, 20).flatMap((area) =>
    ['Solar', 'Wind Onshore', 'Fossil Gas', 'Nuclear', 'Biomass'].flatMap((productionType) =>
      seriesRows({
        dataset: 'generation',
        area,
        productionType,
        from: `${name}-01 00:00`,
        intervals: 28 * 96,
      }),
    ),
  );
  return { bytes: entsoeFile('generation', 'official', rows), rows: rows.length };
}

/** Fills the file system of `dir` until only `leave` bytes are free; returns the filler to delete. */
function fill(dir: string, leave: number): string {
  const filler = path.join(dir, 'filler');
  const { bavail, bsize } = fs.statfsSync(dir);
  const fd = fs.openSync(filler, 'a');
  const block = Buffer.alloc(1 << 20, 1);
  try {
    for (let left = bavail * bsize - leave; left > 0; left -= block.length)
      fs.writeSync(fd, block, 0, Math.min(block.length, left));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
  } finally {
    fs.closeSync(fd);
  }
  return filler;
}

/**
 * The importer's disk fills up in the middle of imports (its data directory on a small tmpfs): every
 * failed attempt is announced with the disk's error, the import is retried after growing waits and
 * completes by itself once space returns; when space does not return in time it goes to the dead letters
 * with the error, `energylive status` shows it and `energylive replay --dead-lettered` recovers it. The
 * CLI stops waiting at the first failure and says why. Needs root and a kernel that lets it mount tmpfs.
 */
describe('disk full in the middle of an import', function () {
  this.timeout(300_000);
  let mount: string;
  let mounted = false;
  let nats: TestNatsServer | undefined;
  let nc: NatsConnection | undefined;
  let broker: ServiceBroker | undefined;
  let importer: EnergyLiveProcess | undefined;
  let env: Record<string, string>;
  let cliDir: string;
  let files: string;

  before(async function () {
    mount = tempDir();
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${MOUNT_SIZE}`, 'tmpfs', mount], { stdio: 'pipe' });
      mounted = true;
    } catch (err) {
      process.stderr.write(
        `      skipped: cannot mount a tmpfs here (${(err as Error).message.split('\n')[0] ?? ''}); run as root on a kernel that allows it\n`,
      );
      fs.rmSync(mount, { recursive: true, force: true });
      this.skip();
    }
    nats = await startNatsServer();
    nc = await connect({ servers: nats.url });
    cliDir = tempDir();
    files = tempDir();
    const config = testConfig(nats.url, mount);
    env = {
      ENERGYLIVE_DATA_DIR: mount,
      NATS_URL: nats.url,
      ENERGYLIVE_NAMESPACE: config.namespace,
      ENERGYLIVE_HEALTH_PORT: 'off',
      LOG_LEVEL: 'info',
      // Three attempts, two and four seconds apart: the same backoff as deployed, in seconds, not minutes.
      ENERGYLIVE_IMPORT_RETRY_DELAYS: '2,4',
    };
    importer = new EnergyLiveProcess(['start', '--services', 'importer,query'], env);
    await importer.waitFor(event('started'));
    broker = createBroker(config, { channels: false });
    await broker.start();
    await broker.waitForServices(['query'], 30_000);
  });

  after(async () => {
    await broker?.stop();
    await importer?.kill('SIGKILL');
    await nc?.close();
    await nats?.stop();
    if (mounted) {
      execFileSync('umount', [mount]);
      fs.rmSync(mount, { recursive: true, force: true });
      fs.rmSync(cliDir, { recursive: true, force: true });
      fs.rmSync(files, { recursive: true, force: true });
    }
  });

  async function cli(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const p = new EnergyLiveProcess(args, { ...env, ENERGYLIVE_DATA_DIR: cliDir });
    const code = await p.exit();
    return { code, stdout: p.stdout, stderr: p.stderr };
  }

  function failures(monthName: string): AsyncIterable<ImportFailed> {
    const sub = nc!.subscribe(subjects.importFailed('generation', monthName));
    return (async function* () {
      for await (const m of sub) yield m.json<ImportFailed>();
    })();
  }

  async function monthStats(monthName: string): Promise<{ rows: number; keys: number }> {
    return broker!.call('query.monthStats', { dataset: 'generation', month: monthName });
  }

  it('retries with growing waits and imports the month by itself once space returns', async () => {
    const { bytes, rows } = month('2022-01');
    const filler = fill(mount, LEFT_FREE);
    const failed = failures('2022-01')[Symbol.asyncIterator]();
    const done = (async () => {
      const sub = nc!.subscribe(subjects.importDone('generation', '2022-01'), { max: 1 });
      for await (const m of sub) return m.json<ImportDone>();
      return null;
    })();
    const store = await openNatsFileStore(nc!, BUCKETS.files);
    await publishFile(
      Readable.from([bytes]),
      { kind: 'test', name: '2022_01_AggregatedGenerationPerType_16.1.B_C.csv', key: 'jan', version: '1' },
      { js: nc!.jetstream(), store, tmpDir: path.join(files, 'tmp') },
    );
    const first = (await failed.next()).value as ImportFailed;
    expect(first).to.include({ attempt: 1, attempts: 3, retryInSeconds: 2 });
    expect(first.error).to.match(SPACE_ERROR);
    // Space returns before the next attempt, as when an operator or a log rotation frees some.
    fs.rmSync(filler);
    const imported = await done;
    expect(imported).to.include({ status: 'imported', changedPoints: rows });
    expect(await monthStats('2022-01')).to.deep.equal({ rows, keys: rows });
    const started = importer!.lines.filter((l) => l.event === 'import_started' && l.month === '2022-01');
    expect(started.map((l) => l.delivery)).to.deep.equal([1, 2]);
  });

  it('recovers as well when the disk fills while ClickHouse writes the month, after the download', async () => {
    const { bytes, rows } = month('2022-03');
    const canonical = await writeCanonicalFile(Readable.from([bytes]), path.join(files, 'march.tsv.gz'), {});
    // Room for the downloaded file, not for the staged and merged month.
    const filler = fill(mount, canonical.gzipBytes + LEFT_FREE);
    const failed = failures('2022-03')[Symbol.asyncIterator]();
    const done = (async () => {
      const sub = nc!.subscribe(subjects.importDone('generation', '2022-03'), { max: 1 });
      for await (const m of sub) return m.json<ImportDone>();
      return null;
    })();
    const store = await openNatsFileStore(nc!, BUCKETS.files);
    await publishFile(
      Readable.from([bytes]),
      { kind: 'test', name: '2022_03_AggregatedGenerationPerType_16.1.B_C.csv', key: 'mar', version: '1' },
      { js: nc!.jetstream(), store, tmpDir: path.join(files, 'tmp') },
    );
    const first = (await failed.next()).value as ImportFailed;
    expect(first.error, first.error).to.match(SPACE_ERROR);
    expect(first.error, 'ClickHouse failed, not the download').to.not.match(/^ENOSPC/);
    process.stderr.write(`      (ClickHouse said: ${first.error.slice(0, 160)}…)\n`);
    fs.rmSync(filler);
    expect(await done).to.include({ status: 'imported', changedPoints: rows });
    expect(await monthStats('2022-03')).to.deep.equal({ rows, keys: rows });
  });

  it('dead-letters what keeps failing with its error; the CLI says why at once; replay recovers it', async () => {
    const { bytes, rows } = month('2022-02');
    const file = path.join(files, '2022_02_AggregatedGenerationPerType_16.1.B_C.csv');
    fs.writeFileSync(file, bytes);
    const filler = fill(mount, LEFT_FREE);
    const failed = failures('2022-02')[Symbol.asyncIterator]();

    const started = Date.now();
    const ingest = await cli('ingest', file);
    expect(ingest.code).to.equal(1);
    expect(ingest.stderr, ingest.stderr).to.match(
      /generation 2022-02, 268800 rows \(official\); import failed \(attempt 1 of 3\): /,
    );
    expect(ingest.stderr).to.match(SPACE_ERROR);
    expect(ingest.stderr).to.match(/the importer tries again in 2 s \(attempt 2 of 3\)/);
    expect(Date.now() - started, 'the CLI stopped at the failure, not at its 600 s time-out').to.be.below(
      60_000,
    );

    const attempts: ImportFailed[] = [];
    for (let i = 0; i < 3; i++) attempts.push((await failed.next()).value as ImportFailed);
    expect(attempts.map((f) => f.retryInSeconds)).to.deep.equal([2, 4, null]);
    const at = attempts.map((f) => Date.parse(f.at));
    expect(at[1]! - at[0]!, 'the first wait').to.be.at.least(1900);
    expect(at[2]! - at[1]!, 'the second, longer wait').to.be.at.least(3900);

    const jsm = await nc!.jetstreamManager();
    const dead = await jsm.streams
      .getMessage(STREAMS.deadLetter, { last_by_subj: subjects.deadLetter('importer') })
      .then((m) => m.json<DeadLetter>());
    expect(dead).to.include({
      reason: 'import_failed',
      dataset: 'generation',
      month: '2022-02',
      attempts: 3,
    });
    expect(dead.message).to.match(SPACE_ERROR);
    const status = await cli('status');
    expect(status.stdout).to.match(/import_failed after 3 attempts\s+generation 2022-02\s+.*(ENOSPC|space)/i);
    expect(status.stdout).to.match(/Dead-lettered imports not imported since: generation 2022-02/);

    fs.rmSync(filler);
    const replay = await cli('replay', '--dead-lettered');
    expect(replay.stderr, replay.stderr).to.match(
      new RegExp(`replayed generation 2022-02: ${rows} rows stored, ${rows} values changed`),
    );
    expect(replay.code).to.equal(0);
    expect(await monthStats('2022-02')).to.deep.equal({ rows, keys: rows });
    expect(await monthStats('2022-01'), 'the month imported before is intact').to.deep.equal({
      rows: month('2022-01').rows,
      keys: month('2022-01').rows,
    });
  });
});
