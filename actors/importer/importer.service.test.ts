import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { expect } from 'chai';
import { connect, type NatsConnection } from 'nats';
import type { ServiceBroker } from 'moleculer';
import { publishFile } from '../../lib/pipeline/publish-file.js';
import type { DeadLetter, FileReady, ImportDone, ImportFailed } from '../../lib/pipeline/messages.js';
import { STREAMS, subjects } from '../../lib/pipeline/subjects.js';
import { createBroker } from '../runtime/broker.js';
import { ProcessContext } from '../runtime/process-context.js';
import { startNatsServer, type TestNatsServer } from '../../test/support/nats-server.js';
import { tempDir } from '../../test/support/temp-dir.js';
import { testConfig } from '../../test/support/config.js';
import { entsoeFile, seriesRows } from '../../test/support/entsoe-fixture.js';
import { importerService } from './importer.service.js';
import { importFileReady } from './file-ready-import.js';

describe('importer actor', function () {
  this.timeout(120_000);
  let nats: TestNatsServer | undefined;
  let dataDir: string;
  let ctx: ProcessContext | undefined;
  let broker: ServiceBroker | undefined;
  let nc: NatsConnection | undefined;

  before(async () => {
    nats = await startNatsServer();
    dataDir = tempDir();
    // Retried after half a second and a second: the waits grow, and the test stays short.
    const config = testConfig(nats.url, dataDir, { ENERGYLIVE_IMPORT_RETRY_DELAYS: '0.5,1' });
    ctx = new ProcessContext(config);
    await ctx.nats();
    broker = createBroker(config);
    broker.createService(importerService(ctx, 'load'));
    await broker.start();
    nc = await connect({ servers: nats.url });
  });

  after(async () => {
    await nc?.close();
    await broker?.stop();
    await ctx?.close();
    await nats?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  async function nextImportDone(month: string): Promise<ImportDone> {
    const sub = nc!.subscribe(subjects.importDone('load', month), { max: 1, timeout: 60_000 });
    for await (const m of sub) return m.json<ImportDone>();
    throw new Error('no import-done event');
  }

  async function ingest(name: string, bytes: Buffer) {
    return publishFile(
      Readable.from([bytes]),
      { kind: 'test', name, key: name, version: '1' },
      {
        js: nc!.jetstream(),
        store: await ctx!.fileStore(),
        tmpDir: path.join(dataDir, 'tmp'),
      },
    );
  }

  async function storedValues(): Promise<Record<string, number>> {
    const ch = await ctx!.clickhouse();
    const result = await ch.client.query({
      query: "SELECT formatDateTime(ts, '%Y-%m-%d %H:%i') AS t, value FROM energylive.load ORDER BY ts",
      format: 'JSONEachRow',
    });
    return Object.fromEntries((await result.json<{ t: string; value: number }>()).map((r) => [r.t, r.value]));
  }

  it('imports a published file, and a corrected republication reports only the corrected range', async () => {
    const rows = seriesRows({ dataset: 'load', from: '2022-01-01 00:00', intervals: 96 });
    const done = nextImportDone('2022-01');
    const first = await ingest('2022_01_ActualTotalLoad_6.1.A.csv', entsoeFile('load', 'official', rows));
    expect(first.status).to.equal('published');
    const event = await done;
    expect(event.status).to.equal('imported');
    expect(event.changedPoints).to.equal(96);
    expect(event.changes).to.have.length(1);
    expect(event.changes[0]).to.include({
      from: '2022-01-01T00:00:00.000Z',
      to: '2022-01-02T00:00:00.000Z',
      points: 96,
    });
    const stored = await storedValues();
    expect(Object.keys(stored)).to.have.length(96);
    expect(stored['2022-01-01 00:15']).to.equal(Number(rows[1]?.value));

    const corrected = rows.map((r, i) =>
      i >= 10 && i < 14 ? { ...r, value: '1.50', updated: '2022-01-03 00:00:00' } : r,
    );
    const second = nextImportDone('2022-01');
    await ingest('2022_01_ActualTotalLoad_6.1.A.csv', entsoeFile('load', 'official', corrected));
    const correction = await second;
    expect(correction.changedPoints).to.equal(4);
    expect(correction.changes).to.deep.equal([
      {
        series: { area_type: 'CTY', map_code: 'DE' },
        resolution: 'PT15M',
        from: '2022-01-01T02:30:00.000Z',
        to: '2022-01-01T03:30:00.000Z',
        points: 4,
      },
    ]);
    expect((await storedValues())['2022-01-01 02:45']).to.equal(1.5);
  });

  it('drops a duplicate file: the same content published twice is imported once', async () => {
    const rows = seriesRows({ dataset: 'load', from: '2022-02-01 00:00', intervals: 8 });
    const done = nextImportDone('2022-02');
    await ingest('a.csv', entsoeFile('load', 'snapshot', rows));
    await done;
    const again = await ingest('b.csv', entsoeFile('load', 'official', rows));
    expect(again.status).to.equal('published');
    expect(again.status === 'published' && again.duplicate).to.equal(true);
  });

  async function monthRows(month: string): Promise<number> {
    const ch = await ctx!.clickhouse();
    const result = await ch.client.query({
      query: `SELECT count() AS n FROM energylive.load WHERE formatDateTime(ts, '%Y-%m') = {month:String}`,
      query_params: { month },
      format: 'JSONEachRow',
    });
    return Number((await result.json<{ n: string }>())[0]?.n);
  }

  it('imports a redelivered message again with the same rows and the same changes', async () => {
    const rows = seriesRows({ dataset: 'load', from: '2022-03-01 00:00', intervals: 12 });
    const done = nextImportDone('2022-03');
    const outcome = await ingest('2022_03_ActualTotalLoad_6.1.A.csv', entsoeFile('load', 'official', rows));
    const first = await done;
    if (outcome.status !== 'published') throw new Error(outcome.status);
    // What JetStream does on redelivery: the same payload once more (a new id, so it is not deduplicated).
    const again = nextImportDone('2022-03');
    await nc!.jetstream().publish(subjects.fileReady('load', '2022-03'), JSON.stringify(outcome.message), {
      msgID: 'redelivery',
    });
    const second = await again;
    expect(second.status).to.equal('unchanged');
    expect(second.changes).to.deep.equal(first.changes);
    expect(await monthRows('2022-03')).to.equal(12);
  });

  async function failuresOf(month: string, count: number): Promise<ImportFailed[]> {
    const sub = nc!.subscribe(subjects.importFailed('load', month), { max: count, timeout: 30_000 });
    const failures: ImportFailed[] = [];
    for await (const m of sub) failures.push(m.json<ImportFailed>());
    return failures;
  }

  it('retries a failing import after growing waits, announcing each failure, then dead-letters it with the error; a good file imports afterwards', async () => {
    const rows = seriesRows({ dataset: 'load', from: '2022-04-01 00:00', intervals: 10 });
    const done = nextImportDone('2022-04');
    await ingest('2022_04_ActualTotalLoad_6.1.A.csv', entsoeFile('load', 'official', rows));
    await done;

    const sha = 'f'.repeat(64);
    const garbage = path.join(dataDir, 'garbage.gz');
    fs.writeFileSync(garbage, Buffer.from('this is not gzip'));
    const store = await ctx!.fileStore();
    const object = await store.put(`load/2022-04/${sha}.tsv.gz`, garbage);
    const bad: FileReady = {
      dataset: 'load',
      month: '2022-04',
      sha256: sha,
      object,
      layout: 'official',
      rows: 10,
      rejected: {},
      spreadsheetUpdateTimes: 0,
      firstTs: null,
      lastTs: null,
      source: { kind: 'test', name: 'garbage', key: 'garbage', version: '1' },
      parsedAt: new Date().toISOString(),
    };
    const failures = failuresOf('2022-04', 3);
    await nc!
      .jetstream()
      .publish(subjects.fileReady('load', '2022-04'), JSON.stringify(bad), { msgID: 'garbage' });

    const announced = await failures;
    expect(announced.map((f) => [f.attempt, f.attempts, f.retryInSeconds])).to.deep.equal([
      [1, 3, 0.5],
      [2, 3, 1],
      [3, 3, null],
    ]);
    const at = announced.map((f) => Date.parse(f.at));
    expect(at[1]! - at[0]!, 'the wait before the second attempt').to.be.at.least(450);
    expect(at[2]! - at[1]!, 'the wait before the third attempt').to.be.at.least(950);
    expect(announced[0]?.error).to.be.a('string').and.not.equal('');

    const jsm = await nc!.jetstreamManager();
    const deadline = Date.now() + 30_000;
    const lastDeadLetter = () =>
      jsm.streams
        .getMessage(STREAMS.deadLetter, { last_by_subj: subjects.deadLetter('importer') })
        .then((m) => m.json<DeadLetter>())
        .catch(() => null);
    let dead = await lastDeadLetter();
    while (Date.now() < deadline && dead?.sha256 !== sha) {
      await new Promise((r) => setTimeout(r, 200));
      dead = await lastDeadLetter();
    }
    expect(dead).to.include({ stage: 'importer', reason: 'import_failed', month: '2022-04', attempts: 3 });
    expect(dead?.message).to.equal(announced[2]?.error);
    // Terminated after its dead letter is written: never delivered again.
    while ((await jsm.consumers.info(STREAMS.files, 'importer-load')).num_ack_pending > 0) {
      if (Date.now() > deadline) throw new Error('the dead-lettered message is still pending');
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(await monthRows('2022-04')).to.equal(10);

    const more = seriesRows({ dataset: 'load', from: '2022-04-01 00:00', intervals: 20 });
    const next = nextImportDone('2022-04');
    await ingest('2022_04_ActualTotalLoad_6.1.A.csv', entsoeFile('load', 'official', more));
    expect((await next).changedPoints).to.equal(10);
    expect(await monthRows('2022-04')).to.equal(20);
  });

  it('reports a message redelivered after its import was committed as imported, with the same event', async () => {
    const rows = seriesRows({ dataset: 'load', from: '2022-06-01 00:00', intervals: 12 });
    const done = nextImportDone('2022-06');
    const outcome = await ingest('2022_06_ActualTotalLoad_6.1.A.csv', entsoeFile('load', 'official', rows));
    if (outcome.status !== 'published') throw new Error(outcome.status);
    await done;
    const jsm = await nc!.jetstreamManager();
    const { seq } = await jsm.streams.getMessage(STREAMS.files, {
      last_by_subj: subjects.fileReady('load', '2022-06'),
    });
    // What the consumer hands over again when the importer died between the commit and the acknowledgement.
    const deps = {
      ch: await ctx!.clickhouse(),
      schema: ctx!.schema,
      store: await ctx!.fileStore(),
      js: nc!.jetstream(),
      tmpDir: path.join(dataDir, 'redelivery'),
      messageSeq: seq,
    };
    const again = await importFileReady(outcome.message, 'load', deps);
    expect(again.events.map((e) => [e.status, e.changedPoints])).to.deep.equal([['imported', 12]]);
    const published = (
      await jsm.streams.getMessage(STREAMS.imports, { last_by_subj: subjects.importDone('load', '2022-06') })
    ).json<ImportDone>();
    expect(again.events[0]).to.deep.equal(published);
  });

  it('dead-letters a message that cannot be an import, without retrying it', async () => {
    await nc!
      .jetstream()
      .publish(
        subjects.fileReady('load', '2022-05'),
        JSON.stringify({ dataset: 'load', month: '2022-05', sha256: 'nope' }),
        { msgID: 'hostile' },
      );
    const jsm = await nc!.jetstreamManager();
    const deadline = Date.now() + 20_000;
    for (;;) {
      const last = await jsm.streams
        .getMessage(STREAMS.deadLetter, { last_by_subj: subjects.deadLetter('importer') })
        .catch(() => null);
      const body = last?.json<{ reason?: string; message?: string }>();
      if (body?.reason === 'unusable_message') {
        expect(body.message).to.match(/sha256/);
        break;
      }
      if (Date.now() > deadline) throw new Error('no dead letter for the hostile message');
      await new Promise((r) => setTimeout(r, 200));
    }
  });

  it('refuses a message for a month after the next one at once, and says so to whoever waits', async () => {
    const rows = seriesRows({ dataset: 'load', from: '2022-07-01 00:00', intervals: 4 });
    const outcome = await ingest('2022_07_ActualTotalLoad_6.1.A.csv', entsoeFile('load', 'official', rows));
    if (outcome.status !== 'published') throw new Error(outcome.status);
    // The same file claimed for 2099: not something the parser publishes.
    const sha = outcome.message.sha256;
    const object = await (
      await ctx!.fileStore()
    ).put(`load/2099-01/${sha}.tsv.gz`, path.join(dataDir, 'garbage.gz'));
    const failures = failuresOf('2099-01', 1);
    await nc!
      .jetstream()
      .publish(
        subjects.fileReady('load', '2099-01'),
        JSON.stringify({ ...outcome.message, month: '2099-01', object }),
        { msgID: 'far-future' },
      );
    const [failure] = await failures;
    expect(failure).to.include({ attempt: 1, retryInSeconds: null });
    expect(failure?.error).to.match(/month 2099-01 is after next month/);
    expect(await monthRows('2099-01')).to.equal(0);
  });
});
