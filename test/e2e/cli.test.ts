import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { testConfig } from '../support/config.js';
import { EnergyLiveProcess, event } from '../support/energylive-process.js';
import { entsoeFile, seriesRows } from '../support/entsoe-fixture.js';
import { startNatsServer, type TestNatsServer } from '../support/nats-server.js';
import { tempDir } from '../support/temp-dir.js';

describe('energylive CLI against a running EnergyLive', function () {
  this.timeout(240_000);
  let nats: TestNatsServer | undefined;
  let dataDir: string;
  let files: string;
  let env: Record<string, string>;
  let server: EnergyLiveProcess | undefined;
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
    const config = testConfig(nats.url, dataDir);
    env = {
      ENERGYLIVE_DATA_DIR: dataDir,
      NATS_URL: nats.url,
      ENERGYLIVE_NAMESPACE: config.namespace,
      ENERGYLIVE_HEALTH_PORT: 'off',
      LOG_LEVEL: 'info',
    };
    server = new EnergyLiveProcess(['start', '--services', 'importer,query'], env);
    await server.waitFor(event('started'));
  });

  after(async () => {
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

  it('status shows streams, consumers, dead letters and the last imports', async () => {
    const result = await cli('status');
    expect(result.code, result.stderr).to.equal(0);
    expect(result.stdout).to.match(/ENERGYLIVE_FILES\s+\d+ messages/);
    expect(result.stdout).to.match(/importer-load\s+pending\s+0/);
    expect(result.stdout).to.match(/Dead letters: 1\n.*unrecognized_header\s+broken\.csv/);
    expect(result.stdout, result.stdout).to.match(/load\s+2022-01 .* 96 rows/);
  });
});
