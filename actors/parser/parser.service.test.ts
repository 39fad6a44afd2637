import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { expect } from 'chai';
import { connect, type NatsConnection } from 'nats';
import type { ServiceBroker } from 'moleculer';
import type { PollResult } from '../../lib/sources/poller.js';
import type { DeadLetter, FileReady } from '../../lib/pipeline/messages.js';
import { STREAMS, subjects } from '../../lib/pipeline/subjects.js';
import { createBroker } from '../runtime/broker.js';
import { ProcessContext } from '../runtime/process-context.js';
import { startNatsServer, type TestNatsServer } from '../../test/support/nats-server.js';
import { tempDir } from '../../test/support/temp-dir.js';
import { testConfig } from '../../test/support/config.js';
import { entsoeFile, seriesRows } from '../../test/support/entsoe-fixture.js';
import { zipOf } from '../../lib/sources/test-fixtures.js';
import { parserService } from './parser.service.js';

describe('parser actor', function () {
  this.timeout(60_000);
  let nats: TestNatsServer | undefined;
  let dataDir: string;
  let sourceDir: string;
  let ctx: ProcessContext | undefined;
  let broker: ServiceBroker | undefined;
  let nc: NatsConnection | undefined;

  before(async () => {
    nats = await startNatsServer();
    dataDir = tempDir();
    sourceDir = tempDir();
    const folder = path.join(sourceDir, 'ActualTotalLoad_6.1.A');
    fs.mkdirSync(folder);
    fs.writeFileSync(
      path.join(folder, '2022_01_ActualTotalLoad_6.1.A.csv'),
      entsoeFile(
        'load',
        'official',
        seriesRows({ dataset: 'load', from: '2022-01-01 00:00', intervals: 96 }),
      ),
    );
    fs.writeFileSync(
      path.join(folder, '2022_02_ActualTotalLoad_6.1.A.csv'),
      Buffer.from('not\tan\tentso-e\tfile\n'),
    );
    // A generation file in the load folder: the parser of load must refuse it.
    fs.writeFileSync(
      path.join(folder, '2022_03_ActualTotalLoad_6.1.A.csv'),
      entsoeFile(
        'generation',
        'official',
        seriesRows({ dataset: 'generation', from: '2022-03-01 00:00', intervals: 4 }),
      ),
    );
    fs.writeFileSync(
      path.join(folder, '2022_05_ActualTotalLoad_6.1.A.zip'),
      await zipOf([['readme.txt', 'no CSV in here']]),
    );
    const config = testConfig(nats.url, dataDir, {
      ENERGYLIVE_SOURCE: 'folder',
      ENERGYLIVE_SOURCE_FOLDER: sourceDir,
      ENERGYLIVE_POLL_INTERVAL: '3600',
    });
    ctx = new ProcessContext(config);
    broker = createBroker(config, { channels: false });
    broker.createService(parserService(ctx, 'load'));
    await broker.start();
    nc = await connect({ servers: nats.url });
  });

  after(async () => {
    await nc?.close();
    await broker?.stop();
    await ctx?.close();
    await nats?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(sourceDir, { recursive: true, force: true });
  });

  it('publishes good files, dead-letters unusable ones with their reason, and handles each version once', async () => {
    // The poller started with the service; this poll joins or follows it.
    await broker!.call<PollResult>('parser-load.poll');
    const jsm = await nc!.jetstreamManager();
    const ready = (
      await jsm.streams.getMessage(STREAMS.files, { last_by_subj: subjects.fileReady('load', '2022-01') })
    ).json<FileReady>();
    expect(ready).to.include({ dataset: 'load', month: '2022-01', rows: 96, layout: 'official' });
    expect(ready.object.name).to.equal(`load/2022-01/${ready.sha256}.tsv.gz`);
    expect(await (await ctx!.fileStore()).exists(ready.object.name)).to.equal(true);

    const dl = await jsm.streams.info(STREAMS.deadLetter);
    const reasons: string[] = [];
    for (let seq = dl.state.first_seq; seq <= dl.state.last_seq; seq++) {
      reasons.push((await jsm.streams.getMessage(STREAMS.deadLetter, { seq })).json<DeadLetter>().reason);
    }
    expect(reasons.sort()).to.deep.equal(['unreadable', 'unrecognized_header', 'wrong_dataset']);

    const again = await broker!.call<PollResult>('parser-load.poll');
    expect(again.handled).to.equal(0);
    expect((await jsm.streams.info(STREAMS.files)).state.messages).to.equal(1);
  });
});

describe('parser actor on files it cannot read the usual way', function () {
  this.timeout(60_000);
  let nats: TestNatsServer | undefined;
  let dataDir: string;
  let sourceDir: string;
  let ctx: ProcessContext | undefined;
  let broker: ServiceBroker | undefined;
  let nc: NatsConnection | undefined;
  const rows = seriesRows({ dataset: 'load', from: '2022-06-01 00:00', intervals: 96 });
  const septemberRows = seriesRows({ dataset: 'load', from: '2022-09-01 00:00', intervals: 400 });

  /** The file with its columns in reverse order, header and rows alike: columns are mapped by name. */
  function reversedColumns(bytes: Buffer): Buffer {
    const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
    const lines = text.split('\r\n').map((l) => (l === '' ? l : l.split('\t').reverse().join('\t')));
    return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(lines.join('\r\n'))]);
  }

  before(async () => {
    nats = await startNatsServer();
    dataDir = tempDir();
    sourceDir = tempDir();
    const folder = path.join(sourceDir, 'ActualTotalLoad_6.1.A');
    fs.mkdirSync(folder);
    fs.writeFileSync(
      path.join(folder, '2022_06_ActualTotalLoad_6.1.A.csv'),
      reversedColumns(entsoeFile('load', 'official', rows)),
    );
    // A ZIP whose compressed data is damaged: it opens, then fails while it is unpacked.
    const july = entsoeFile(
      'load',
      'official',
      seriesRows({ dataset: 'load', from: '2022-07-01 00:00', intervals: 500 }),
    );
    const zip = await zipOf([['2022_07_ActualTotalLoad_6.1.A.csv', july.toString('latin1')]]);
    for (let i = 200; i < 216; i++) zip[i] = (zip[i] as number) ^ 0x5a;
    fs.writeFileSync(path.join(folder, '2022_07_ActualTotalLoad_6.1.A.zip'), zip);
    // A ZIP that does not even open.
    fs.writeFileSync(path.join(folder, '2022_08_ActualTotalLoad_6.1.A.zip'), zip.subarray(0, 100));
    // A ZIP with one damaged data byte that unpacks without an error: only its CRC-32 tells.
    const september = entsoeFile('load', 'snapshot', septemberRows);
    const stored = await zipOf([['2022_09_ActualTotalLoad_6.1.A.csv', september.toString('utf8')]], {
      compress: false,
    });
    const digit = stored.indexOf(`${septemberRows[200]?.value ?? ''}\t`);
    expect(digit).to.be.above(0);
    stored[digit] = stored[digit] === 0x39 ? 0x38 : 0x39;
    fs.writeFileSync(path.join(folder, '2022_09_ActualTotalLoad_6.1.A.zip'), stored);
    const config = testConfig(nats.url, dataDir, {
      ENERGYLIVE_SOURCE: 'folder',
      ENERGYLIVE_SOURCE_FOLDER: sourceDir,
      ENERGYLIVE_POLL_INTERVAL: '3600',
    });
    ctx = new ProcessContext(config);
    broker = createBroker(config, { channels: false });
    broker.createService(parserService(ctx, 'load'));
    await broker.start();
    nc = await connect({ servers: nats.url });
  });

  after(async () => {
    await nc?.close();
    await broker?.stop();
    await ctx?.close();
    await nats?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(sourceDir, { recursive: true, force: true });
  });

  it('imports reordered columns like the usual order, and dead-letters each unreadable file once, then leaves it', async () => {
    const results: PollResult[] = [];
    for (let i = 0; i < 5; i++) results.push(await broker!.call<PollResult>('parser-load.poll'));
    const jsm = await nc!.jetstreamManager();
    const ready = (
      await jsm.streams.getMessage(STREAMS.files, { last_by_subj: subjects.fileReady('load', '2022-06') })
    ).json<FileReady>();
    expect(ready).to.include({ rows: 96, layout: 'official' });
    expect(ready.rejected).to.deep.equal({});
    const usual = await publishFileDigest(entsoeFile('load', 'official', rows));
    expect(ready.sha256).to.equal(usual);

    const dl = await jsm.streams.info(STREAMS.deadLetter);
    const letters: DeadLetter[] = [];
    for (let seq = dl.state.first_seq; dl.state.messages > 0 && seq <= dl.state.last_seq; seq++)
      letters.push((await jsm.streams.getMessage(STREAMS.deadLetter, { seq })).json<DeadLetter>());
    expect(letters.map((l) => `${l.file?.name ?? ''} ${l.reason}`).sort()).to.deep.equal([
      '2022_07_ActualTotalLoad_6.1.A.zip unreadable',
      '2022_08_ActualTotalLoad_6.1.A.zip unreadable',
      '2022_09_ActualTotalLoad_6.1.A.zip unreadable',
    ]);
    expect(letters.find((l) => l.file?.name.startsWith('2022_09'))?.message).to.match(/CRC-32/);
    const september = await jsm.streams
      .getMessage(STREAMS.files, { last_by_subj: subjects.fileReady('load', '2022-09') })
      .catch(() => null);
    expect(september, 'a damaged archive was published').to.equal(null);
    expect(letters.find((l) => l.file?.name.startsWith('2022_07'))?.message).to.match(/invalid distance/);
    expect(letters.find((l) => l.file?.name.startsWith('2022_08'))?.message).to.match(/not a readable ZIP/);
    // Tried on three polls, then given up and no longer tried.
    expect(results.map((r) => r.failed)).to.deep.equal([3, 3, 0, 0, 0]);
    expect(results.map((r) => r.rejected)).to.deep.equal([0, 0, 3, 0, 0]);
  });
});

/** The content digest the parser gives a file, as it would publish it. */
async function publishFileDigest(bytes: Buffer): Promise<string> {
  const { parseStream } = await import('../../lib/entsoe/parse-stream.js');
  const result = await parseStream(Readable.from([bytes]), { write: () => undefined });
  return result.sha256;
}
