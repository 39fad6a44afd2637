import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { expect } from 'chai';
import { connect, type NatsConnection } from 'nats';
import type { ServiceBroker } from 'moleculer';
import { createBroker } from '../../actors/runtime/broker.js';
import { testConfig } from '../support/config.js';
import { EnergyLiveProcess, event } from '../support/energylive-process.js';
import { FIXTURE_AREAS, entsoeFile, seriesRows, type FixtureRow } from '../support/entsoe-fixture.js';
import { startNatsServer, type TestNatsServer } from '../support/nats-server.js';
import { definitionsWithAckWait } from '../support/nats-definitions.js';
import { tempDir } from '../support/temp-dir.js';
import { officialFileName, writeMonthFile } from '../../lib/demo/generator.js';
import { publishFile } from '../../lib/pipeline/publish-file.js';
import { openNatsFileStore } from '../../lib/storage/nats-file-store.js';
import { BUCKETS, STREAMS, subjects } from '../../lib/pipeline/subjects.js';
import type { ImportDone } from '../../lib/pipeline/messages.js';

/** A month of generation for 100 series (or more): large enough that an import takes a noticeable time. */
function bigMonth(
  areas = 20,
  types = ['Solar', 'Wind Onshore', 'Fossil Gas', 'Nuclear', 'Biomass'],
): {
  bytes: Buffer;
  rows: number;
} {
  const rows: FixtureRow[] = [];
  for (const area of FIXTURE_AREAS.slice(0, areas)) {
    for (const type of types) {
      rows.push(
        ...seriesRows({
          dataset: 'generation',
          area,
          productionType: type,
          from: '2022-01-01 00:00',
          intervals: 31 * 96,
        }),
      );
    }
  }
  return { bytes: entsoeFile('generation', 'official', rows), rows: rows.length };
}

/** The first canonical file an importer downloads under `tmpRoot` (one directory per process). */
async function downloadedFile(tmpRoot: string, timeoutMs = 60_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const found = (
      fs.existsSync(tmpRoot) ? (fs.readdirSync(tmpRoot, { recursive: true }) as string[]) : []
    ).find((f) => /import-[0-9a-f]+\.tsv\.gz$/.test(f));
    if (found && fs.statSync(path.join(tmpRoot, found)).size > 0) return path.join(tmpRoot, found);
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`no download under ${tmpRoot}`);
}

describe('importer process killed in the middle of an import', function () {
  this.timeout(240_000);
  let nats: TestNatsServer | undefined;
  let dataDir: string;
  let definitions: string;
  let nc: NatsConnection | undefined;
  let broker: ServiceBroker | undefined;
  const processes: EnergyLiveProcess[] = [];

  before(async () => {
    nats = await startNatsServer();
    dataDir = tempDir();
    definitions = definitionsWithAckWait(tempDir(), 2);
    nc = await connect({ servers: nats.url });
  });

  after(async () => {
    for (const p of processes) await p.kill('SIGKILL');
    await broker?.stop();
    await nc?.close();
    await nats?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(definitions, { recursive: true, force: true });
  });

  it('completes the import after a restart with no missing or duplicated rows', async () => {
    const config = testConfig(nats!.url, dataDir, { ENERGYLIVE_NATS_DEFINITIONS: definitions });
    const env = {
      ENERGYLIVE_DATA_DIR: dataDir,
      NATS_URL: nats!.url,
      ENERGYLIVE_NAMESPACE: config.namespace,
      ENERGYLIVE_NATS_DEFINITIONS: definitions,
      ENERGYLIVE_HEALTH_PORT: 'off',
      LOG_LEVEL: 'info',
    };
    const first = new EnergyLiveProcess(['start', '--services', 'importer,query'], env);
    processes.push(first);
    await first.waitFor(event('started'));

    const { bytes, rows } = bigMonth();
    const store = await openNatsFileStore(nc!, BUCKETS.files);
    const done = (async () => {
      const sub = nc!.subscribe(subjects.importDone('generation', '2022-01'), { max: 1 });
      for await (const m of sub) return m.json<ImportDone>();
      return null;
    })();
    const outcome = await publishFile(
      Readable.from([bytes]),
      { kind: 'test', name: 'big.csv', key: 'big.csv', version: '1' },
      { js: nc!.jetstream(), store, tmpDir: path.join(dataDir, 'cli-tmp') },
    );
    expect(outcome.status).to.equal('published');

    await first.waitFor(event('import_started'));
    // Killed once the canonical file is downloaded into its temporary directory, which it leaves behind.
    const leftover = await downloadedFile(path.join(dataDir, 'tmp'));
    await first.kill('SIGKILL');
    expect(first.lines.some(event('import_done')), 'the import finished before the kill').to.equal(false);
    expect(fs.existsSync(leftover)).to.equal(true);

    const second = new EnergyLiveProcess(['start', '--services', 'importer,query'], env);
    processes.push(second);
    const imported = await done;
    expect(imported?.status).to.equal('imported');
    expect(imported?.changedPoints).to.equal(rows);
    await second.waitFor(event('import_done'));
    expect(second.lines.filter(event('import_started')).map((l) => l.delivery)).to.deep.equal([2]);
    const removed = await second.waitFor(event('temp_files_removed'));
    expect(removed.entries).to.deep.equal([path.basename(path.dirname(leftover))]);
    expect(fs.existsSync(path.dirname(leftover)), 'the killed process left its temporary files').to.equal(
      false,
    );

    broker = createBroker(config, { channels: false });
    await broker.start();
    await broker.waitForServices(['query'], 30_000);
    const stats = await broker.call<{ rows: number; keys: number }, { dataset: string; month: string }>(
      'query.monthStats',
      { dataset: 'generation', month: '2022-01' },
    );
    expect(stats).to.deep.equal({ rows, keys: rows });
  });
});

describe('an import that takes longer than the ack wait', function () {
  const ACK_WAIT_SECONDS = 0.5;
  this.timeout(240_000);
  let nats: TestNatsServer | undefined;
  let dataDir: string;
  let definitions: string;
  let nc: NatsConnection | undefined;
  let importer: EnergyLiveProcess | undefined;

  before(async () => {
    nats = await startNatsServer();
    dataDir = tempDir();
    definitions = definitionsWithAckWait(tempDir(), ACK_WAIT_SECONDS);
    nc = await connect({ servers: nats.url });
  });

  after(async () => {
    await importer?.kill('SIGKILL');
    await nc?.close();
    await nats?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(definitions, { recursive: true, force: true });
  });

  it('keeps its message with heartbeats: delivered once, imported once', async () => {
    const env = {
      ENERGYLIVE_DATA_DIR: dataDir,
      NATS_URL: nats!.url,
      ENERGYLIVE_NAMESPACE: testConfig(nats!.url, dataDir).namespace,
      ENERGYLIVE_NATS_DEFINITIONS: definitions,
      ENERGYLIVE_HEALTH_PORT: 'off',
      LOG_LEVEL: 'info',
    };
    importer = new EnergyLiveProcess(['start', '--services', 'importer'], env);
    await importer.waitFor(event('started'));
    // A whole demo month of generation (1.3 million rows): its import lasts seconds, many ack waits.
    const file = path.join(dataDir, officialFileName('generation', '2022-01'));
    const { rows } = await writeMonthFile({
      dataset: 'generation',
      month: '2022-01',
      until: new Date(Date.UTC(2022, 1, 1)),
      out: fs.createWriteStream(file),
    });
    const store = await openNatsFileStore(nc!, BUCKETS.files);
    await publishFile(
      fs.createReadStream(file, { highWaterMark: 1 << 20 }),
      { kind: 'test', name: path.basename(file), key: 'big', version: '1' },
      { js: nc!.jetstream(), store, tmpDir: path.join(dataDir, 'cli-tmp') },
    );
    const done = await importer.waitFor(event('import_done'), 120_000);
    expect(done).to.include({ status: 'imported', changedPoints: rows });
    process.stderr.write(`      (the import took ${(Number(done.ms) / 1000).toFixed(1)} s)\n`);
    expect(Number(done.ms), 'the import outlasted the ack wait twice over').to.be.above(
      2 * ACK_WAIT_SECONDS * 1000,
    );
    expect(importer.lines.filter(event('import_started')).map((l) => l.delivery)).to.deep.equal([1]);
    const consumer = await (
      await nc!.jetstreamManager()
    ).consumers.info(STREAMS.files, 'importer-generation');
    expect(consumer).to.deep.include({ num_ack_pending: 0, num_redelivered: 0, num_pending: 0 });
  });
});

describe('importer process stopped (SIGTERM) in the middle of an import', function () {
  this.timeout(240_000);
  let nats: TestNatsServer | undefined;
  let dataDir: string;
  let nc: NatsConnection | undefined;
  let importer: EnergyLiveProcess | undefined;

  before(async () => {
    nats = await startNatsServer();
    dataDir = tempDir();
    nc = await connect({ servers: nats.url });
  });

  after(async () => {
    await importer?.kill('SIGKILL');
    await nc?.close();
    await nats?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('finishes the import, acknowledges it and exits 0, so nothing is delivered again (a rolling update)', async () => {
    importer = new EnergyLiveProcess(['start', '--services', 'importer'], {
      ENERGYLIVE_DATA_DIR: dataDir,
      NATS_URL: nats!.url,
      ENERGYLIVE_NAMESPACE: testConfig(nats!.url, dataDir).namespace,
      ENERGYLIVE_HEALTH_PORT: 'off',
      LOG_LEVEL: 'info',
    });
    await importer.waitFor(event('started'));
    const { bytes, rows } = bigMonth();
    const store = await openNatsFileStore(nc!, BUCKETS.files);
    await publishFile(
      Readable.from([bytes]),
      { kind: 'test', name: 'big.csv', key: 'big.csv', version: '1' },
      { js: nc!.jetstream(), store, tmpDir: path.join(dataDir, 'cli-tmp') },
    );
    await importer.waitFor(event('import_started'));
    expect(await importer.kill('SIGTERM')).to.equal(0);

    const lines = importer.lines;
    const stopping = lines.findIndex(event('stopping'));
    const done = lines.findIndex(event('import_done'));
    expect(stopping, 'the stop began').to.be.at.least(0);
    expect(done, 'the import ended after the stop began').to.be.above(stopping);
    expect(lines[done]).to.include({ status: 'imported', changedPoints: rows });
    const consumer = await (
      await nc!.jetstreamManager()
    ).consumers.info(STREAMS.files, 'importer-generation');
    expect(consumer).to.deep.include({ num_ack_pending: 0, num_redelivered: 0, num_pending: 0 });
  });
});
