import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { expect } from 'chai';
import { connect, type NatsConnection } from 'nats';
import { writeCanonicalFile } from '../../lib/ingest/canonical-file.js';
import type { FileReady } from '../../lib/pipeline/messages.js';
import { BUCKETS, STREAMS, subjects } from '../../lib/pipeline/subjects.js';
import { zipOf } from '../../lib/sources/test-fixtures.js';
import { openNatsFileStore } from '../../lib/storage/nats-file-store.js';
import { testConfig } from '../support/config.js';
import { EnergyLiveProcess, event } from '../support/energylive-process.js';
import { entsoeFile, seriesRows } from '../support/entsoe-fixture.js';
import { startNatsServer, type TestNatsServer } from '../support/nats-server.js';
import { tempDir } from '../support/temp-dir.js';

const BROKEN_SHA = 'e'.repeat(64);

/** The file with its columns in reverse order, header and rows alike: columns are mapped by name. */
function reversedColumns(bytes: Buffer): Buffer {
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  const lines = text.split('\r\n').map((l) => (l === '' ? l : l.split('\t').reverse().join('\t')));
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(lines.join('\r\n'))]);
}

describe('energylive CLI against a running EnergyLive', function () {
  this.timeout(240_000);
  let nats: TestNatsServer | undefined;
  let dataDir: string;
  let files: string;
  let env: Record<string, string>;
  let server: EnergyLiveProcess | undefined;
  let nc: NatsConnection | undefined;
  const rows = seriesRows({ dataset: 'load', from: '2022-01-01 00:00', intervals: 96 });

  async function cli(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const p = new EnergyLiveProcess(args, { ...env, ENERGYLIVE_DATA_DIR: path.join(dataDir, 'cli') });
    const code = await p.exit();
    return { code, stdout: p.stdout, stderr: p.stderr };
  }

  before(async () => {
    nats = await startNatsServer();
    dataDir = tempDir();
    files = tempDir();
    fs.writeFileSync(
      path.join(files, '2022_01_ActualTotalLoad_6.1.A.csv'),
      entsoeFile('load', 'official', rows),
    );
    fs.writeFileSync(path.join(files, 'broken.csv'), 'DateTime\tSomething\n1\t2\n');
    const february = seriesRows({ dataset: 'load', from: '2022-02-01 00:00', intervals: 96 });
    fs.mkdirSync(path.join(files, 'batch'));
    fs.writeFileSync(
      path.join(files, 'batch', '2022_02_ActualTotalLoad_6.1.A.csv'),
      reversedColumns(entsoeFile('load', 'official', february)),
    );
    const march = entsoeFile(
      'load',
      'official',
      seriesRows({ dataset: 'load', from: '2022-03-01 00:00', intervals: 500 }),
    );
    const zip = await zipOf([['2022_03_ActualTotalLoad_6.1.A.csv', march.toString('latin1')]]);
    // Damaged compressed data: the archive opens, then fails while it is unpacked.
    for (let i = 200; i < 216; i++) zip[i] = (zip[i] as number) ^ 0x5a;
    fs.writeFileSync(path.join(files, 'batch', '2022_03_ActualTotalLoad_6.1.A.zip'), zip);
    fs.writeFileSync(
      path.join(files, 'batch', '2022_04_ActualTotalLoad_6.1.A.csv'),
      entsoeFile('load', 'official', seriesRows({ dataset: 'load', from: '2022-04-01 00:00', intervals: 8 })),
    );
    const config = testConfig(nats.url, dataDir);
    env = {
      ENERGYLIVE_DATA_DIR: dataDir,
      NATS_URL: nats.url,
      ENERGYLIVE_NAMESPACE: config.namespace,
      ENERGYLIVE_HEALTH_PORT: 'off',
      LOG_LEVEL: 'info',
      ENERGYLIVE_IMPORT_RETRY_DELAYS: '0.5,0.5',
    };
    nc = await connect({ servers: nats.url });
    server = new EnergyLiveProcess(['start', '--services', 'importer,query'], env);
    await server.waitFor(event('started'));
  });

  after(async () => {
    await nc?.close();
    await server?.kill();
    await nats?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(files, { recursive: true, force: true });
  });

  it('ingest imports a file and reports the changes; a rejected file is reported with its reason', async () => {
    const result = await cli(
      'ingest',
      path.join(files, '2022_01_ActualTotalLoad_6.1.A.csv'),
      path.join(files, 'broken.csv'),
    );
    expect(result.stderr).to.match(
      /2022_01_ActualTotalLoad_6\.1\.A\.csv: load 2022-01, 96 rows \(official\); imported: 96 values new or corrected in 1 ranges/,
    );
    expect(result.stderr).to.match(/broken\.csv: rejected \(unrecognized_header\)/);
    expect(result.code).to.equal(1);
  });

  it('ingest goes on after files it cannot use: reordered columns import as usual, a broken archive is rejected', async () => {
    const result = await cli('ingest', path.join(files, 'batch'));
    expect(result.stderr, result.stderr).to.not.match(/\n\s+at /);
    expect(result.stderr).to.match(
      /\[1\/3\] 2022_02_ActualTotalLoad_6\.1\.A\.csv: load 2022-02, 96 rows \(official\); imported: 96 values/,
    );
    expect(result.stderr).to.match(
      /\[2\/3\] 2022_03_ActualTotalLoad_6\.1\.A\.zip: rejected \(unreadable\): .*invalid distance/,
    );
    expect(result.stderr).to.match(
      /\[3\/3\] 2022_04_ActualTotalLoad_6\.1\.A\.csv: load 2022-04, 8 rows .*imported: 8 values/,
    );
    expect(result.code).to.equal(1);
  });

  it('ingest of the same file again imports nothing new', async () => {
    const result = await cli('ingest', path.join(files, '2022_01_ActualTotalLoad_6.1.A.csv'));
    expect(result.code).to.equal(0);
    expect(result.stderr).to.match(/96 rows \(official\); imported: 96 values/);
  });

  it('export prints the stored values at native resolution in UTC', async () => {
    const result = await cli(
      'export',
      '--dataset',
      'load',
      '--area',
      'DE',
      '--from',
      '2022-01-01',
      '--to',
      '2022-01-01T06:00Z',
    );
    expect(result.code, result.stderr).to.equal(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).to.equal('"ts","area_type","map_code","resolution","value","updated"');
    expect(lines).to.have.length(1 + 24);
    expect(lines[1]).to.equal(
      `"2022-01-01T00:00:00Z","CTY","DE","PT15M",${Number(rows[0]?.value)},"2022-01-01T00:17:00.000Z"`,
    );
  });

  it('export refuses a bad parameter with a clear message', async () => {
    const result = await cli(
      'export',
      '--dataset',
      'load',
      '--area',
      'DE',
      '--from',
      'yesterday',
      '--to',
      '2022-01-02',
    );
    expect(result.code).to.equal(2);
    expect(result.stderr).to.match(/--from: expected an ISO 8601 date/);
  });

  it('replay imports the month again without duplicating rows', async () => {
    const result = await cli('replay', '--dataset', 'load', '--month', '2022-01');
    expect(result.code, result.stderr).to.equal(0);
    expect(result.stderr, result.stderr).to.match(/replayed load 2022-01: 96 rows stored, no value changed/);
    const missing = await cli('replay', '--dataset', 'load', '--month', '2021-05');
    expect(missing.code).to.equal(1);
    expect(missing.stderr).to.match(/no load file for 2021-05/);
  });

  /** A file-ready message for generation 2022-05 whose stored file is not gzip: every import of it fails. */
  async function publishBrokenGeneration(): Promise<void> {
    const store = await openNatsFileStore(nc!, BUCKETS.files);
    const garbage = path.join(files, 'garbage.gz');
    fs.writeFileSync(garbage, 'this is not gzip');
    const object = await store.put(`generation/2022-05/${BROKEN_SHA}.tsv.gz`, garbage);
    const message: FileReady = {
      dataset: 'generation',
      month: '2022-05',
      sha256: BROKEN_SHA,
      object,
      layout: 'official',
      rows: 24,
      rejected: {},
      spreadsheetUpdateTimes: 0,
      firstTs: null,
      lastTs: null,
      source: {
        kind: 'test',
        name: '2022_05_AggregatedGenerationPerType_16.1.B_C.csv',
        key: 'k',
        version: '1',
      },
      parsedAt: new Date().toISOString(),
    };
    await nc!.jetstream().publish(subjects.fileReady('generation', '2022-05'), JSON.stringify(message), {
      msgID: 'broken-generation',
    });
  }

  it('replay stops waiting as soon as the import fails, and says why', async () => {
    await publishBrokenGeneration();
    const started = Date.now();
    const result = await cli('replay', '--dataset', 'generation', '--month', '2022-05');
    expect(result.code).to.equal(1);
    expect(result.stderr).to.match(
      /replay of generation 2022-05: import failed \(attempt 1 of 3\): .+; the importer tries again in 0\.5 s/,
    );
    expect(Date.now() - started, 'the CLI waited for the import to fail, not for its time-out').to.be.below(
      60_000,
    );
  });

  it('status shows streams, consumers, dead letters with their errors and the last imports', async () => {
    const jsm = await nc!.jetstreamManager();
    // The replayed message of the test before is tried three times, then dead-lettered.
    const deadline = Date.now() + 30_000;
    const busy = async () => {
      const info = await jsm.consumers.info(STREAMS.files, 'importer-generation');
      return info.num_pending + info.num_ack_pending > 0;
    };
    while (await busy()) {
      if (Date.now() > deadline) throw new Error('the broken import is still being retried');
      await new Promise((r) => setTimeout(r, 200));
    }
    const result = await cli('status');
    expect(result.code, result.stderr).to.equal(0);
    expect(result.stdout).to.match(/ENERGYLIVE_FILES\s+\d+ messages/);
    expect(result.stdout).to.match(/importer-load\s+pending\s+0/);
    expect(result.stdout).to.match(/Dead letters: 4\n/);
    expect(result.stdout).to.match(/unrecognized_header\s+broken\.csv/);
    expect(result.stdout).to.match(/unreadable\s+2022_03_ActualTotalLoad_6\.1\.A\.zip .*invalid distance/);
    expect(result.stdout).to.match(/import_failed after 3 attempts\s+generation 2022-05\s+\S.+/);
    expect(result.stdout).to.match(
      /Dead-lettered imports not imported since: generation 2022-05; once the cause is fixed: energylive replay --dead-lettered/,
    );
    expect(result.stdout, result.stdout).to.match(/load\s+2022-01 .* 96 rows/);
  });

  it('replay --dead-lettered imports every dead-lettered month again once the cause is fixed', async () => {
    // The cause goes away: the stored file becomes readable.
    const rows = seriesRows({ dataset: 'generation', from: '2022-05-01 00:00', intervals: 24 });
    const fixed = path.join(files, 'fixed.tsv.gz');
    await writeCanonicalFile(Readable.from([entsoeFile('generation', 'official', rows)]), fixed, {});
    const store = await openNatsFileStore(nc!, BUCKETS.files);
    await store.delete(`generation/2022-05/${BROKEN_SHA}.tsv.gz`);
    await store.put(`generation/2022-05/${BROKEN_SHA}.tsv.gz`, fixed);
    const result = await cli('replay', '--dead-lettered');
    expect(result.stderr, result.stderr).to.match(
      /\[1\/1\] replayed generation 2022-05: 24 rows stored, 24 values changed/,
    );
    expect(result.stderr).to.match(/replayed 1 dead-lettered month\n/);
    expect(result.code, result.stderr).to.equal(0);
    const again = await cli('replay', '--dead-lettered');
    expect(again.stderr).to.match(/no dead-lettered import waits for a replay/);
    expect(again.code).to.equal(0);
    expect((await cli('status')).stdout).to.not.match(/Dead-lettered imports not imported since/);
  });
});
