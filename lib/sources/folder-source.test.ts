import { expect } from 'chai';
import { mkdir, stat, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { FolderSource } from './folder-source.js';
import { PermanentFileError } from './permanent-file-error.js';
import { UnreadableFileError } from './unreadable-file-error.js';
import type { RemoteFile } from './source.js';
import { legacyCsv, makeTempDir, readAll, zipOf, type TempDir } from './test-fixtures.js';

describe('FolderSource', () => {
  let dir: TempDir;
  let source: FolderSource;
  const loadCsv = legacyCsv('load', 3);

  beforeEach(async () => {
    dir = await makeTempDir('folder');
    const tp = path.join(dir.path, 'TP_export');
    await mkdir(path.join(tp, 'ActualTotalLoad_6.1.A'), { recursive: true });
    await mkdir(path.join(tp, 'PhysicalFlows_12.1.G'), { recursive: true });
    await mkdir(path.join(tp, 'DayAheadPrices_12.1.D'), { recursive: true });
    await writeFile(path.join(tp, 'ActualTotalLoad_6.1.A', '2022_01_ActualTotalLoad_6.1.A.csv'), loadCsv);
    await writeFile(path.join(tp, 'ActualTotalLoad_6.1.A', 'notes.txt'), 'not data');
    await writeFile(
      path.join(tp, 'PhysicalFlows_12.1.G', '2022_02_28_13_PhysicalFlows12.1.G.zip'),
      await zipOf([
        ['readme.txt', 'first entry, not a CSV'],
        ['2022_02_28_13_PhysicalFlows12.1.G.csv', legacyCsv('flows', 2)],
      ]),
    );
    await writeFile(path.join(tp, 'DayAheadPrices_12.1.D', '2022_01_DayAheadPrices_12.1.D.csv'), 'x');
    source = new FolderSource(dir.path);
  });

  afterEach(async () => {
    await source.close();
    await dir.remove();
  });

  async function listed(): Promise<RemoteFile[]> {
    return (await source.list()).sort((a, b) => a.key.localeCompare(b.key));
  }

  it('lists CSV and ZIP files in subfolders with dataset, size and a size+mtime version', async () => {
    const files = await listed();
    const csvPath = path.join(dir.path, 'TP_export/ActualTotalLoad_6.1.A/2022_01_ActualTotalLoad_6.1.A.csv');
    const stats = await stat(csvPath);
    expect(files.map((f) => [f.key, f.dataset])).to.deep.equal([
      ['TP_export/ActualTotalLoad_6.1.A/2022_01_ActualTotalLoad_6.1.A.csv', 'load'],
      ['TP_export/PhysicalFlows_12.1.G/2022_02_28_13_PhysicalFlows12.1.G.zip', 'flows'],
    ]);
    expect(files[0]).to.include({ name: '2022_01_ActualTotalLoad_6.1.A.csv', size: stats.size });
    expect(files[0]?.version).to.equal(`${stats.size}:${stats.mtime.getTime()}`);
  });

  it('skips the folders of other Transparency Platform items', async () => {
    expect((await listed()).some((f) => f.key.includes('DayAheadPrices'))).to.equal(false);
  });

  it('gives a file a new version when its size or its modification time changes', async () => {
    const csvPath = path.join(dir.path, 'TP_export/ActualTotalLoad_6.1.A/2022_01_ActualTotalLoad_6.1.A.csv');
    const first = (await listed())[0]?.version;
    await writeFile(csvPath, legacyCsv('load', 4));
    const afterGrowth = (await listed())[0]?.version;
    await utimes(csvPath, new Date('2022-02-01T00:00:00Z'), new Date('2022-02-01T00:00:00Z'));
    const afterTouch = (await listed())[0]?.version;
    expect(new Set([first, afterGrowth, afterTouch]).size).to.equal(3);
  });

  it('opens a CSV file as a stream of its bytes', async () => {
    const [csv] = await listed();
    expect(await readAll(await source.open(csv!))).to.equal(loadCsv);
  });

  it('opens a ZIP file as its first CSV entry', async () => {
    const zip = (await listed())[1]!;
    expect(await readAll(await source.open(zip))).to.equal(legacyCsv('flows', 2));
  });

  it('rejects a ZIP without a CSV entry with a PermanentFileError', async () => {
    await writeFile(
      path.join(dir.path, 'TP_export/ActualTotalLoad_6.1.A/2022_03_ActualTotalLoad_6.1.A.zip'),
      await zipOf([['readme.txt', 'nothing else']]),
    );
    const zip = (await listed()).find((f) => f.name.endsWith('.zip') && f.dataset === 'load')!;
    const error = await source.open(zip).catch((err: unknown) => err);
    expect(error).to.be.instanceOf(PermanentFileError);
  });

  it('rejects a half-written ZIP as unreadable, which is retried a few times, not as permanent', async () => {
    const full = await zipOf([['a.csv', loadCsv]]);
    await writeFile(path.join(dir.path, 'TP_export/ActualTotalLoad_6.1.A/partial.zip'), full.subarray(0, 40));
    const zip = (await listed()).find((f) => f.name === 'partial.zip')!;
    const error = await source.open(zip).catch((err: unknown) => err);
    expect(error).to.be.instanceOf(UnreadableFileError).and.not.instanceOf(PermanentFileError);
    expect((error as Error).message).to.match(/not a readable ZIP/);
  });

  it('refuses a key that points outside its folder', async () => {
    const outside = { key: '../../etc/passwd', name: 'passwd', dataset: null, size: null, version: '' };
    const error = await source.open(outside).catch((err: unknown) => err);
    expect((error as Error).message).to.match(/outside/);
  });

  it('fails to list a folder that does not exist', async () => {
    const missing = new FolderSource(path.join(dir.path, 'missing'));
    const error = await missing.list().catch((err: unknown) => err);
    expect((error as NodeJS.ErrnoException).code).to.equal('ENOENT');
  });
});
