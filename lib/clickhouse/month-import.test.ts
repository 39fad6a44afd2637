import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { expect } from 'chai';
import { DATASETS } from '../entsoe/datasets.js';
import { monthFromFileName } from '../entsoe/parse-stream.js';
import { writeCanonicalFile, type CanonicalFile } from '../ingest/canonical-file.js';
import {
  entsoeFile,
  seriesRows,
  solarAndNuclearDay,
  type FixtureRow,
} from '../../test/support/entsoe-fixture.js';
import { tempDir } from '../../test/support/temp-dir.js';
import type { ClickHouse } from './connection.js';
import { importMonth, type MonthImportResult } from './month-import.js';
import { migratedClickHouse } from '../../test/support/clickhouse-fixture.js';

const SAMPLES = path.resolve(import.meta.dirname, '../../../shared/entsoe/samples');
const schema = { database: 'energylive' };

describe('importMonth', function () {
  this.timeout(120_000);
  let dir: string;
  let ch: ClickHouse;
  let n = 0;

  before(async () => {
    dir = tempDir();
    ch = await migratedClickHouse(dir, schema);
  });

  after(async () => {
    await ch.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  beforeEach(async () => {
    for (const t of ['load', 'generation', 'flows'])
      await ch.client.command({ query: `TRUNCATE TABLE energylive.${t}` });
  });

  async function canonical(bytes: Buffer | Readable, name = 'file.csv'): Promise<CanonicalFile> {
    const input = Buffer.isBuffer(bytes) ? Readable.from([bytes]) : bytes;
    return writeCanonicalFile(input, path.join(dir, `c${++n}.tsv.gz`), { month: monthFromFileName(name) });
  }

  async function load(
    bytes: Buffer | Readable,
    name = 'file.csv',
    messageSeq?: number,
  ): Promise<MonthImportResult> {
    const c = await canonical(bytes, name);
    if (c.month === null) throw new Error('no month');
    return importMonth(ch, schema, {
      ...(messageSeq === undefined ? {} : { messageSeq }),
      dataset: c.dataset,
      month: c.month,
      sha256: c.sha256,
      file: c.path,
      fileName: name,
      source: 'test',
      layout: c.layout,
      rows: c.rows,
      rejected: c.rejected,
    });
  }

  async function rows<T>(query: string): Promise<T[]> {
    return (await ch.client.query({ query, format: 'JSONEachRow' })).json<T>();
  }

  it('stores every value of every dataset exactly, in all three layouts', async () => {
    for (const dataset of ['load', 'generation', 'flows'] as const) {
      for (const [i, layout] of (['official', 'snapshot', 'r3'] as const).entries()) {
        const area = ['AT', 'BE', 'CH'][i] as string;
        const source = seriesRows({
          dataset,
          area,
          areaType: layout === 'r3' ? 'CTY/BZN' : 'CTY',
          from: '2022-07-01 00:00',
          intervals: 40,
          value: (k) => k * 1234.567 + 0.001,
        });
        await load(entsoeFile(dataset, layout, source));
        const stored = await rows<{ value: number; t: string }>(
          `SELECT value, formatDateTime(ts, '%Y-%m-%d %H:%i:%S') AS t FROM energylive.${dataset} WHERE ${dataset === 'flows' ? 'out_map_code' : 'map_code'} = '${area}' ORDER BY ts`,
        );
        expect(stored.map((r) => [r.t, r.value])).to.deep.equal(source.map((r) => [r.ts, Number(r.value)]));
      }
    }
    const [multi] = await rows<{ area_type: string }>(
      "SELECT DISTINCT area_type FROM energylive.load WHERE map_code = 'CH'",
    );
    expect(multi?.area_type).to.equal('BZN/CTY');
  });

  it('a growing month adds only the new intervals, and the same file again changes nothing', async () => {
    const all = seriesRows({ dataset: 'load', from: '2022-01-01 00:00', intervals: 96 });
    const first = await load(entsoeFile('load', 'snapshot', all.slice(0, 40)));
    expect(first).to.include({ status: 'imported', changedPoints: 40, monthRows: 40 });
    const grown = await load(entsoeFile('load', 'snapshot', all));
    expect(grown).to.include({ status: 'imported', changedPoints: 56, monthRows: 96 });
    expect(grown.changes.map((c) => [c.from, c.to])).to.deep.equal([
      ['2022-01-01T10:00:00.000Z', '2022-01-02T00:00:00.000Z'],
    ]);
    const again = await load(entsoeFile('load', 'official', all));
    expect(again).to.include({ status: 'unchanged', changedPoints: 0, monthRows: 96 });
  });

  it('reports a redelivered first import (committed, then not acknowledged) as imported, with its changes', async () => {
    const all = seriesRows({ dataset: 'load', from: '2022-05-01 00:00', intervals: 24 });
    const file = entsoeFile('load', 'official', all);
    const first = await load(file, 'file.csv', 41);
    expect(first).to.include({ status: 'imported', changedPoints: 24 });
    // The same message again (the same stream sequence): the process died before acknowledging it.
    const redelivered = await load(file, 'file.csv', 41);
    expect(redelivered).to.include({ status: 'imported', changedPoints: 24, monthRows: 24 });
    expect(redelivered.changes).to.deep.equal(first.changes);
    expect(redelivered.importedAt).to.equal(first.importedAt);
    // Another message with the same content (a replay, a republication) found the month as it was.
    const another = await load(file, 'file.csv', 42);
    expect(another).to.include({ status: 'unchanged', changedPoints: 0, monthRows: 24 });
    expect(another.changes).to.deep.equal(first.changes);
  });

  it('commits newer UpdateTimes and labels of unchanged values, so an older file cannot take them back', async () => {
    const month = { dataset: 'load', area: 'FR', from: '2024-09-01 00:00', intervals: 24 } as const;
    const values = seriesRows({ ...month, resolution: 'PT60M', updated: '2024-09-02 00:00:00' });
    const first = await load(entsoeFile('load', 'official', values));
    expect(first).to.include({ status: 'imported', changedPoints: 24 });
    const republished = values.map((r) => ({ ...r, updated: '2024-10-01 00:00:00' }));
    const newer = await load(entsoeFile('load', 'official', republished), 'file.csv', 7);
    // No value changed: nothing for the charts to redraw, but the newer UpdateTimes are stored.
    expect(newer).to.include({ status: 'imported', changedPoints: 0, monthRows: 24 });
    expect(newer.changes).to.deep.equal([]);
    // Its redelivery (the same message) finds it committed and reports it as the first delivery did.
    const redelivered = await load(entsoeFile('load', 'official', republished), 'file.csv', 7);
    expect(redelivered).to.include({ status: 'imported', changedPoints: 0, importedAt: newer.importedAt });
    const other = values.map((r) => ({ ...r, value: '1.00', updated: '2024-09-10 00:00:00' }));
    const older = await load(entsoeFile('load', 'official', other));
    expect(older).to.include({ status: 'unchanged', changedPoints: 0, monthRows: 24 });

    const renamed = republished.map((r) => ({
      ...r,
      area_name: 'France CTY',
      area_code: '10YFR-RTE------C',
    }));
    const relabelled = await load(entsoeFile('load', 'official', renamed));
    expect(relabelled).to.include({ status: 'imported', changedPoints: 0 });
    const again = await load(entsoeFile('load', 'official', renamed));
    expect(again).to.include({ status: 'unchanged', changedPoints: 0 });

    const stored = await rows<{ value: number; updated: string; area_name: string }>(
      "SELECT value, formatDateTime(updated, '%Y-%m-%d %H:%i:%S') AS updated, area_name FROM energylive.load WHERE map_code = 'FR' ORDER BY ts",
    );
    expect(stored).to.deep.equal(
      values.map((r) => ({
        value: Number(r.value),
        updated: '2024-10-01 00:00:00',
        area_name: 'France CTY',
      })),
    );
    const log = await rows<{ n: string }>(
      "SELECT count() AS n FROM energylive.imports WHERE month = '2024-09' AND status = 'done'",
    );
    expect(Number(log[0]?.n)).to.equal(3);
    const hourly = await rows<{ mean: number }>(
      "SELECT vw / w AS mean FROM energylive.load_hourly WHERE map_code = 'FR' AND toYYYYMM(hour) = 202409 ORDER BY hour",
    );
    expect(hourly.map((r) => r.mean)).to.deep.equal(values.map((r) => Number(r.value)));
  });

  it('reports only corrected ranges, one per run of consecutive intervals and per series', async () => {
    const { de, fr } = solarAndNuclearDay();
    await load(entsoeFile('generation', 'official', [...de, ...fr]));
    const fix = (r: FixtureRow, i: number, at: number[]) =>
      at.includes(i) ? { ...r, value: '7.77', updated: '2022-01-05 00:00:00' } : r;
    const corrected = [...de.map((r, i) => fix(r, i, [4, 5, 6, 50])), ...fr.map((r, i) => fix(r, i, [23]))];
    const result = await load(entsoeFile('generation', 'official', corrected));
    expect(result.changedPoints).to.equal(5);
    expect(result.changes).to.deep.equal([
      {
        series: { area_type: 'CTY', map_code: 'DE', production_type: 'Solar' },
        resolution: 'PT15M',
        from: '2022-01-01T01:00:00.000Z',
        to: '2022-01-01T01:45:00.000Z',
        points: 3,
      },
      {
        series: { area_type: 'CTY', map_code: 'DE', production_type: 'Solar' },
        resolution: 'PT15M',
        from: '2022-01-01T12:30:00.000Z',
        to: '2022-01-01T12:45:00.000Z',
        points: 1,
      },
      {
        series: { area_type: 'CTY', map_code: 'FR', production_type: 'Nuclear' },
        resolution: 'PT60M',
        from: '2022-01-01T23:00:00.000Z',
        to: '2022-01-02T00:00:00.000Z',
        points: 1,
      },
    ]);
  });

  it('never takes back a correction with a stale file, never drops rows a partial file lacks, never touches other months', async () => {
    const jan = seriesRows({ dataset: 'load', from: '2022-01-01 00:00', intervals: 8 });
    const feb = seriesRows({ dataset: 'load', from: '2022-02-01 00:00', intervals: 8 });
    await load(entsoeFile('load', 'official', feb));
    await load(entsoeFile('load', 'official', jan));
    const correctedRow = { ...(jan[2] as FixtureRow), value: '5.00', updated: '2022-01-09 00:00:00' };
    await load(entsoeFile('load', 'official', [correctedRow]));
    const stale = await load(entsoeFile('load', 'official', jan.slice(0, 4)));
    expect(stale).to.include({ status: 'unchanged', monthRows: 8 });
    const stored = await rows<{ value: number }>(
      'SELECT value FROM energylive.load WHERE toYYYYMM(ts) = 202201 ORDER BY ts',
    );
    expect(stored.map((r) => r.value)).to.deep.equal(jan.map((r, i) => (i === 2 ? 5 : Number(r.value))));
    const [februaryRows] = await rows<{ n: string }>(
      'SELECT count() AS n FROM energylive.load WHERE toYYYYMM(ts) = 202202',
    );
    expect(Number(februaryRows?.n)).to.equal(8);
  });

  it('keeps the newest row of a key that a file repeats', async () => {
    const [row] = seriesRows({ dataset: 'load', from: '2022-03-01 00:00', intervals: 1 }) as [FixtureRow];
    await load(
      entsoeFile('load', 'snapshot', [
        { ...row, value: '2.00', updated: '2022-03-02 00:00:00' },
        { ...row, value: '1.00', updated: '2022-03-01 00:30:00' },
      ]),
    );
    expect(await rows('SELECT value FROM energylive.load')).to.deep.equal([{ value: 2 }]);
  });

  describe('real ENTSO-E samples', () => {
    const dirs = [
      'GeorgePag4028_EnergyLive2022-Ntua/csvtest',
      'kriskoutsi_EnergyLive-SaaS/AGPT_final',
      'Farg245_EnergyLive2022/microservice07/csv_files',
    ];
    const files = fs.existsSync(SAMPLES)
      ? dirs.flatMap((d) =>
          fs
            .readdirSync(path.join(SAMPLES, d))
            .filter((f) => f.endsWith('.csv') && f !== 'countries_data.csv')
            .map((f) => path.join(d, f)),
        )
      : [];
    if (files.length === 0) it.skip('no samples folder beside the repository');
    for (const file of files) {
      it(`stores ${file} value for value`, async () => {
        const bytes = fs.readFileSync(path.join(SAMPLES, file));
        const c = await canonical(bytes, path.basename(file));
        if (c.rows === 0) return;
        await load(bytes, path.basename(file));
        const spec = DATASETS[c.dataset.name];
        const header =
          bytes
            .toString('utf8')
            .replace(/^\uFEFF/, '')
            .split(/\r?\n/)[0]
            ?.split('\t') ?? [];
        const valueColumn = header.indexOf(spec.columns.find((col) => col.kind === 'value')?.legacy ?? '');
        const expected = bytes
          .toString('utf8')
          .replace(/^\uFEFF/, '')
          .split(/\r?\n/)
          .slice(1)
          .filter((l) => l !== '')
          .map((l) => l.split('\t')[valueColumn] ?? '')
          .map((v) => (v === '' ? null : Number(v)))
          .sort((a, b) => (a ?? -1) - (b ?? -1));
        const stored = (await rows<{ value: number | null }>(`SELECT value FROM energylive.${spec.name}`))
          .map((r) => r.value)
          .sort((a, b) => (a ?? -1) - (b ?? -1));
        expect(stored).to.deep.equal(expected);
      });
    }
  });
});
