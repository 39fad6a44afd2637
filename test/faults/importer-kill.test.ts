import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { expect } from 'chai';
import { connect, type NatsConnection } from 'nats';
import type { ServiceBroker } from 'moleculer';
import { createBroker } from '../../actors/runtime/broker.js';
import { applyDefinitions, loadDefinitions, DEFINITIONS_DIR } from '../../lib/nats/definitions.js';
import type { DeadLetter, ImportDone } from '../../lib/pipeline/messages.js';
import { publishFile } from '../../lib/pipeline/publish-file.js';
import { BUCKETS, STREAMS, importerConsumer, subjects } from '../../lib/pipeline/subjects.js';
import { openNatsFileStore } from '../../lib/storage/nats-file-store.js';
import { testConfig } from '../support/config.js';
import { EnergyLiveProcess, event } from '../support/energylive-process.js';
import { FIXTURE_AREAS, entsoeFile, seriesRows, type FixtureRow } from '../support/entsoe-fixture.js';
import { startNatsServer, type TestNatsServer } from '../support/nats-server.js';
import { tempDir } from '../support/temp-dir.js';

/** A month of generation for 100 series, so that the import is well under way when the importer dies. */
function bigMonth(): { bytes: Buffer; rows: number } {
  const rows: FixtureRow[] = FIXTURE_AREAS.slice(0, 20).flatMap((area) =>
    ['Solar', 'Wind Onshore', 'Fossil Gas', 'Nuclear', 'Biomass'].flatMap((productionType) =>
      seriesRows({
        dataset: 'generation',
        area,
        productionType,
        from: '2022-01-01 00:00',
        intervals: 31 * 96,
      }),
    ),
  );
  return { bytes: entsoeFile('generation', 'official', rows), rows: rows.length };
}

/** The first canonical file an importer downloads under `tmpRoot` (one directory per process). */
async function downloadedFile(tmpRoot: string, timeoutMs = 60_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const names = fs.existsSync(tmpRoot) ? (fs.readdirSync(tmpRoot, { recursive: true }) as string[]) : [];
    const found = names.find((f) => /import-[0-9a-f]+\.tsv\.gz$/.test(f));
    if (found && fs.statSync(path.join(tmpRoot, found)).size > 0) return path.join(tmpRoot, found);
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`no download under ${tmpRoot}`);
}

/**
 * The importer killed (SIGKILL) in the middle of an import, with the NATS definitions as deployed
 * (nats/consumers.json, not the e2e tests' 2 s ack wait): the next importer takes the import over within
 * seconds, not after a minute, and the month ends complete and without duplicates.
 */
describe('importer killed mid-import with the production ack wait', function () {
  this.timeout(300_000);
  let nats: TestNatsServer | undefined;
  let dataDir: string;
  let nc: NatsConnection | undefined;
  let broker: ServiceBroker | undefined;
  const processes: EnergyLiveProcess[] = [];

  before(async () => {
    nats = await startNatsServer();
    dataDir = tempDir();
    nc = await connect({ servers: nats.url });
  });

  after(async () => {
    for (const p of processes) await p.kill('SIGKILL');
    await broker?.stop();
    await nc?.close();
    await nats?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('is taken over by the next importer within seconds, and the month is complete', async () => {
    const config = testConfig(nats!.url, dataDir);
    const env = {
      ENERGYLIVE_DATA_DIR: dataDir,
      NATS_URL: nats!.url,
      ENERGYLIVE_NAMESPACE: config.namespace,
      ENERGYLIVE_HEALTH_PORT: 'off',
      LOG_LEVEL: 'info',
    };
    const first = new EnergyLiveProcess(['start', '--services', 'importer,query'], env);
    processes.push(first);
    await first.waitFor(event('started'));
    const jsm = await nc!.jetstreamManager();
    const declared = loadDefinitions(DEFINITIONS_DIR, {}).consumers.find(
      (c) => c.durable_name === importerConsumer('generation'),
    );
    const consumer = await jsm.consumers.info(STREAMS.files, importerConsumer('generation'));
    expect(consumer.config.ack_wait, 'the consumer runs with the ack wait as deployed').to.equal(
      (declared?.ack_wait_seconds ?? 0) * 1e9,
    );

    const { bytes, rows } = bigMonth();
    const store = await openNatsFileStore(nc!, BUCKETS.files);
    const done = (async () => {
      const sub = nc!.subscribe(subjects.importDone('generation', '2022-01'), { max: 1 });
      for await (const m of sub) return m.json<ImportDone>();
      return null;
    })();
    await publishFile(
      Readable.from([bytes]),
      { kind: 'test', name: 'big.csv', key: 'big.csv', version: '1' },
      { js: nc!.jetstream(), store, tmpDir: path.join(dataDir, 'cli-tmp') },
    );
    await first.waitFor(event('import_started'));
    const leftover = await downloadedFile(path.join(dataDir, 'tmp'));
    await first.kill('SIGKILL');
    const killed = Date.now();
    expect(first.lines.some(event('import_done')), 'the import finished before the kill').to.equal(false);

    const second = new EnergyLiveProcess(['start', '--services', 'importer,query'], env);
    processes.push(second);
    const takenOver = await second.waitFor(
      (l) => l.event === 'import_started' && Number(l.delivery) >= 2,
      120_000,
    );
    const seconds = (Date.now() - killed) / 1000;
    // JetStream redelivers after the ack wait: 60 s before, so the import waited most of a minute.
    expect(seconds, 'seconds from the kill until the next importer had the message').to.be.below(30);
    expect(takenOver).to.include({ dataset: 'generation', month: '2022-01' });

    const imported = await done;
    expect(imported).to.include({ status: 'imported', changedPoints: rows });
    const removed = await second.waitFor(event('temp_files_removed'));
    expect(removed.entries).to.deep.equal([path.basename(path.dirname(leftover))]);
    expect(fs.existsSync(leftover)).to.equal(false);

    broker = createBroker(config, { channels: false });
    await broker.start();
    await broker.waitForServices(['query'], 30_000);
    const stats = await broker.call<{ rows: number; keys: number }, { dataset: string; month: string }>(
      'query.monthStats',
      { dataset: 'generation', month: '2022-01' },
    );
    expect(stats).to.deep.equal({ rows, keys: rows });
    process.stderr.write(`      (taken over ${seconds.toFixed(1)} s after the kill)\n`);
  });
});

/**
 * A message whose import kills every importer (out of memory on a pathological file, say) would go round
 * forever, each delivery ending without an answer. Once it has been delivered more often than it may be
 * tried, the next importer dead-letters it without trying, and goes on with the next message.
 */
describe('a message that kills every importer that takes it', function () {
  this.timeout(300_000);
  let nats: TestNatsServer | undefined;
  let dataDir: string;
  let nc: NatsConnection | undefined;
  const processes: EnergyLiveProcess[] = [];

  before(async () => {
    nats = await startNatsServer();
    dataDir = tempDir();
    nc = await connect({ servers: nats.url });
    await applyDefinitions(nc);
  });

  after(async () => {
    for (const p of processes) await p.kill('SIGKILL');
    await nc?.close();
    await nats?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('is dead-lettered once it was delivered more often than its attempts, and the next message imports', async () => {
    const env = {
      ENERGYLIVE_DATA_DIR: dataDir,
      NATS_URL: nats!.url,
      ENERGYLIVE_NAMESPACE: testConfig(nats!.url, dataDir).namespace,
      ENERGYLIVE_HEALTH_PORT: 'off',
      LOG_LEVEL: 'info',
      // Two attempts.
      ENERGYLIVE_IMPORT_RETRY_DELAYS: '1',
    };
    const { bytes } = bigMonth();
    const store = await openNatsFileStore(nc!, BUCKETS.files);
    await publishFile(
      Readable.from([bytes]),
      { kind: 'test', name: 'big.csv', key: 'big.csv', version: '1' },
      { js: nc!.jetstream(), store, tmpDir: path.join(dataDir, 'cli-tmp') },
    );
    for (const delivery of [1, 2]) {
      const importer = new EnergyLiveProcess(['start', '--services', 'importer'], env);
      processes.push(importer);
      await importer.waitFor((l) => l.event === 'import_started' && Number(l.delivery) === delivery, 120_000);
      await importer.kill('SIGKILL');
    }
    const last = new EnergyLiveProcess(['start', '--services', 'importer'], env);
    processes.push(last);
    const small = seriesRows({ dataset: 'generation', from: '2022-02-01 00:00', intervals: 8 });
    const done = (async () => {
      const sub = nc!.subscribe(subjects.importDone('generation', '2022-02'), { max: 1 });
      for await (const m of sub) return m.json<ImportDone>();
      return null;
    })();
    await publishFile(
      Readable.from([entsoeFile('generation', 'official', small)]),
      { kind: 'test', name: 'small.csv', key: 'small.csv', version: '1' },
      { js: nc!.jetstream(), store, tmpDir: path.join(dataDir, 'cli-tmp') },
    );
    expect(await done, 'the next message imports').to.include({ status: 'imported', changedPoints: 8 });
    const jsm = await nc!.jetstreamManager();
    const dead = (
      await jsm.streams.getMessage(STREAMS.deadLetter, { last_by_subj: subjects.deadLetter('importer') })
    ).json<DeadLetter>();
    expect(dead).to.include({ reason: 'import_failed', month: '2022-01', attempts: 3 });
    expect(dead.message).to.match(/delivered 3 times without finishing/);
    expect(last.lines.some((l) => l.event === 'import_started' && l.month === '2022-01')).to.equal(false);
  });
});
