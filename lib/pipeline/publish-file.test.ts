import fs from 'node:fs';
import { Readable } from 'node:stream';
import { expect } from 'chai';
import { connect, type NatsConnection } from 'nats';
import { applyDefinitions } from '../nats/definitions.js';
import { openNatsFileStore } from '../storage/nats-file-store.js';
import type { FileStore } from '../storage/file-store.js';
import { startNatsServer, type TestNatsServer } from '../../test/support/nats-server.js';
import { tempDir } from '../../test/support/temp-dir.js';
import { entsoeFile, seriesRows } from '../../test/support/entsoe-fixture.js';
import type { DeadLetter } from './messages.js';
import { publishFile } from './publish-file.js';
import { BUCKETS, STREAMS, subjects } from './subjects.js';

describe('publishFile', function () {
  this.timeout(60_000);
  let nats: TestNatsServer | undefined;
  let nc: NatsConnection | undefined;
  let store: FileStore;
  let tmp: string;

  before(async () => {
    nats = await startNatsServer();
    nc = await connect({ servers: nats.url });
    await applyDefinitions(nc);
    store = await openNatsFileStore(nc, BUCKETS.files);
    tmp = tempDir();
  });

  after(async () => {
    await nc?.close();
    await nats?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  const file = (name: string) => ({ kind: 'test', name, key: name, version: '1' });
  const publish = (bytes: Buffer, name = '2022_05_ActualTotalLoad_6.1.A.csv') =>
    publishFile(Readable.from([bytes]), file(name), { js: nc!.jetstream(), store, tmpDir: tmp });

  it('keeps only the files of the month versions JetStream retains', async () => {
    for (let version = 1; version <= 7; version++) {
      const rows = seriesRows({ dataset: 'load', from: '2022-05-01 00:00', intervals: version * 4 });
      const outcome = await publish(entsoeFile('load', 'official', rows));
      expect(outcome.status).to.equal('published');
    }
    const jsm = await nc!.jetstreamManager();
    const retained = (
      await jsm.streams.info(STREAMS.files, { subjects_filter: subjects.fileReady('load', '2022-05') })
    ).state.subjects;
    expect(retained?.[subjects.fileReady('load', '2022-05')]).to.equal(5);
    expect(await store.list('load/2022-05/')).to.have.length(5);
  });

  it('publishes nothing for a header-only file', async () => {
    const outcome = await publish(
      entsoeFile('load', 'snapshot', []),
      '2022_06_01_00_ActualTotalLoad6.1.A.csv',
    );
    expect(outcome).to.deep.equal({ status: 'empty', dataset: 'load', month: '2022-06' });
  });

  it('sends an unusable file to the dead-letter subject with its reason', async () => {
    const outcome = await publish(Buffer.alloc(0), 'empty.csv');
    expect(outcome.status).to.equal('rejected');
    const jsm = await nc!.jetstreamManager();
    const last = await jsm.streams.getMessage(STREAMS.deadLetter, {
      last_by_subj: subjects.deadLetter('parser'),
    });
    expect(last.json<DeadLetter>()).to.include({ stage: 'parser', reason: 'empty_file' });
    expect(last.header.get('EnergyLive-Reason')).to.equal('empty_file');
  });
});
