import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { expect } from 'chai';
import { DATASETS } from './datasets.js';
import { FileError, MAX_LINE_BYTES, monthFromFileName, parseStream } from './parse-stream.js';
import { entsoeFile, seriesRows, type FixtureRow } from '../../test/support/entsoe-fixture.js';
import type { DatasetName } from '../config/env.js';
import { openFirstCsvEntry } from '../sources/zip.js';
import { UnreadableFileError } from '../sources/unreadable-file-error.js';

const SAMPLES = path.resolve(import.meta.dirname, '../../../shared/entsoe/samples');

async function parse(
  input: Buffer | Iterable<Buffer> | AsyncIterable<Buffer>,
  options: { month?: string | null; expectDataset?: string; now?: Date } = {},
) {
  const chunks: Buffer[] = [];
  const source = Buffer.isBuffer(input) ? [input] : input;
  const result = await parseStream(Readable.from(source), {
    ...options,
    write: (c) => void chunks.push(Buffer.from(c)),
  });
  const text = Buffer.concat(chunks).toString('utf8');
  const [header, ...lines] = text.split('\n').filter((l) => l !== '');
  return { result, header, rows: lines.map((l) => l.split('\t')) };
}

/** Reads a source file independently of the parser: by header name, as plain TSV. */
function readSource(bytes: Buffer): { header: string[]; rows: string[][] } {
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  const [header, ...lines] = text.split(/\r?\n/).filter((l) => l !== '');
  return { header: (header ?? '').split('\t'), rows: lines.map((l) => l.split('\t')) };
}

/** The spreadsheet form some course files carry, `DD/MM/YYYY HH:MM`, in ISO; ISO input unchanged. */
function isoUpdateTime(raw: string): string {
  const m = /^(\d{2})\/(\d{2})\/(\d{4}) (\d{2}):(\d{2})$/.exec(raw);
  return m ? `${m[3]}-${m[2]}-${m[1]} ${m[4]}:${m[5]}:00` : raw.slice(0, 19);
}

/** Checks every canonical row against its source row, value by value, in file order. */
function expectExactRoundTrip(dataset: DatasetName, source: Buffer, rows: string[][], layoutIsR3: boolean) {
  const spec = DATASETS[dataset];
  const src = readSource(source);
  expect(rows).to.have.length(src.rows.length);
  src.rows.forEach((srcRow, r) => {
    const out = rows[r] as string[];
    spec.columns.forEach((column, i) => {
      const raw = srcRow[src.header.indexOf(layoutIsR3 ? column.r3 : column.legacy)] as string;
      const got = out[i] as string;
      if (column.kind === 'datetime') expect(got).to.equal(raw.slice(0, 19));
      else if (column.kind === 'updated') expect(got.slice(0, 19)).to.equal(isoUpdateTime(raw));
      else if (column.kind === 'value') expect(got).to.equal(raw === '' ? '\\N' : raw);
      else expect(got).to.equal(raw);
    });
  });
}

describe('parseStream', () => {
  describe('layout detection and exact round trip on generated fixtures', () => {
    for (const dataset of ['load', 'generation', 'flows'] as const) {
      for (const layout of ['official', 'snapshot', 'r3'] as const) {
        it(`reads a ${layout} ${dataset} file and keeps every value exactly`, async () => {
          const rows = seriesRows({
            dataset,
            from: '2022-03-01 00:00',
            intervals: 50,
            value: (i) => i * 12.34 + 0.01,
          });
          if (dataset === 'generation') (rows[3] as FixtureRow).consumption = '17.25';
          const bytes = entsoeFile(dataset, layout, rows);
          const { result, header, rows: out } = await parse(bytes);
          expect(result.dataset.name).to.equal(dataset);
          expect(result.layout).to.equal(layout);
          expect(result.month).to.equal('2022-03');
          expect(result.rows).to.equal(50);
          expect(result.rejected).to.deep.equal({});
          expect(header).to.equal(DATASETS[dataset].columns.map((c) => c.name).join('\t'));
          expectExactRoundTrip(dataset, bytes, out, layout === 'r3');
        });
      }
    }

    it('gives the same digest for the same data in different layouts', async () => {
      const rows = seriesRows({ dataset: 'load', from: '2022-03-01 00:00', intervals: 20 });
      const a = await parse(entsoeFile('load', 'official', rows));
      const b = await parse(entsoeFile('load', 'snapshot', rows));
      expect(a.result.sha256).to.equal(b.result.sha256);
    });

    it('keeps r3 multi-type areas as one sorted type set', async () => {
      const rows = seriesRows({
        dataset: 'load',
        areaType: 'CTY/BZN/CTA',
        from: '2025-11-01 00:00',
        intervals: 2,
      });
      const { rows: out } = await parse(entsoeFile('load', 'r3', rows));
      expect(out[0]?.[2]).to.equal('BZN/CTA/CTY');
    });

    it('reads a file split into one-byte chunks the same as in one piece', async () => {
      const bytes = entsoeFile(
        'generation',
        'official',
        seriesRows({ dataset: 'generation', from: '2022-03-01 00:00', intervals: 30 }),
      );
      const whole = await parse(bytes);
      const split = await parse([...bytes].map((b) => Buffer.from([b])));
      expect(split.result.sha256).to.equal(whole.result.sha256);
      expect(split.rows).to.deep.equal(whole.rows);
    });
  });

  describe('columns in another order', () => {
    /** The file with its columns (header and every row) in the order `order` gives, by header name. */
    function reordered(bytes: Buffer, order: (names: string[]) => string[]): Buffer {
      const bom = bytes[0] === 0xef;
      const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
      const eol = text.includes('\r\n') ? '\r\n' : '\n';
      const [header, ...lines] = text.split(eol);
      const names = (header as string).split('\t');
      const wanted = order(names);
      const moved = [header as string, ...lines].map((line) => {
        if (line === '') return line;
        const fields = line.split('\t');
        return wanted.map((n) => fields[names.indexOf(n)] as string).join('\t');
      });
      const out = Buffer.from(moved.join(eol));
      return bom ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), out]) : out;
    }

    const orders: [string, (names: string[]) => string[]][] = [
      ['reversed', (n) => [...n].reverse()],
      ['rotated by three', (n) => [...n.slice(3), ...n.slice(0, 3)]],
      [
        'UpdateTime first, DateTime last',
        (n) => [n[n.length - 1] as string, ...n.slice(1, -1), n[0] as string],
      ],
    ];
    for (const dataset of ['load', 'generation', 'flows'] as const) {
      for (const layout of ['official', 'r3'] as const) {
        for (const [what, order] of orders) {
          it(`imports a ${layout} ${dataset} file with its columns ${what} exactly like the usual order`, async () => {
            const rows = seriesRows({ dataset, from: '2022-03-01 00:00', intervals: 40 });
            if (dataset === 'generation') (rows[5] as FixtureRow).consumption = '3.50';
            rows.push({ ...(rows[0] as FixtureRow), value: 'bad' });
            const usual = entsoeFile(dataset, layout, rows);
            const expected = await parse(usual);
            const { result, header, rows: out } = await parse(reordered(usual, order));
            expect(result).to.deep.equal(expected.result);
            expect(header).to.equal(expected.header);
            expect(out).to.deep.equal(expected.rows);
          });
        }
      }
    }
  });

  describe('whatever the bytes, a file is parsed or refused with a FileError', () => {
    /** A small deterministic generator, so that a failing case can be replayed. */
    function random(seed: number): () => number {
      let s = seed >>> 0;
      return () => {
        s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
        return s / 2 ** 32;
      };
    }

    function mutate(bytes: Buffer, rnd: () => number): Buffer {
      const pick = (n: number) => Math.floor(rnd() * n);
      const out = Buffer.from(bytes);
      const text = () => out.toString('latin1');
      switch (pick(9)) {
        case 0: {
          // Two header names swapped, the rows left as they are.
          const nl = text().indexOf('\n');
          const header = text().slice(0, nl).split('\t');
          const a = pick(header.length);
          const b = pick(header.length);
          [header[a], header[b]] = [header[b] as string, header[a] as string];
          return Buffer.concat([Buffer.from(header.join('\t'), 'latin1'), out.subarray(nl)]);
        }
        case 1: {
          // A header name repeated in place of another.
          const nl = text().indexOf('\n');
          const header = text().slice(0, nl).split('\t');
          header[pick(header.length)] = header[pick(header.length)] as string;
          return Buffer.concat([Buffer.from(header.join('\t'), 'latin1'), out.subarray(nl)]);
        }
        case 2:
          for (let i = 0; i < 1 + pick(20); i++) out[pick(out.length)] = pick(256);
          return out;
        case 3:
          return out.subarray(0, pick(out.length));
        case 4: {
          const at = pick(out.length);
          const junk = ['\t', '\n', '\r', '\0', '\t\t\t', '\uFEFF', '"', '\\', '.000', '-'][
            pick(10)
          ] as string;
          return Buffer.concat([out.subarray(0, at), Buffer.from(junk), out.subarray(at)]);
        }
        case 5: {
          const at = pick(out.length);
          return Buffer.concat([out.subarray(0, at), out.subarray(at + 1 + pick(40))]);
        }
        case 6:
          return Buffer.concat([out, out]);
        case 7: {
          // A field replaced by a long run of one byte.
          const at = pick(out.length);
          return Buffer.concat([out.subarray(0, at), Buffer.alloc(pick(5000), 0x39), out.subarray(at)]);
        }
        default:
          return Buffer.from(
            text().replace(/\t/g, () => (rnd() < 0.02 ? '' : '\t')),
            'latin1',
          );
      }
    }

    it('never throws anything else for 600 mutated files of every dataset and layout', async function () {
      this.timeout(120_000);
      const rnd = random(20261203);
      const sources = (['load', 'generation', 'flows'] as const).flatMap((dataset) =>
        (['official', 'snapshot', 'r3'] as const).map((layout) =>
          entsoeFile(dataset, layout, seriesRows({ dataset, from: '2022-03-01 00:00', intervals: 12 })),
        ),
      );
      const failures: string[] = [];
      for (let i = 0; i < 600; i++) {
        let bytes = sources[i % sources.length] as Buffer;
        for (let m = 0; m < 1 + (i % 3); m++) bytes = mutate(bytes, rnd);
        // Split at random points: the parser must not depend on where chunks end.
        const chunks: Buffer[] = [];
        for (let at = 0; at < bytes.length;) {
          const size = 1 + Math.floor(rnd() * 200);
          chunks.push(bytes.subarray(at, at + size));
          at += size;
        }
        try {
          await parse(chunks);
        } catch (err) {
          if (!(err instanceof FileError) || err.reason === 'unparseable')
            failures.push(`case ${i}: ${String(err)}`);
        }
      }
      expect(failures).to.deep.equal([]);
    });

    it('reports an input that fails while it is read as unreadable, not as a parser failure', async () => {
      const good = entsoeFile(
        'load',
        'official',
        seriesRows({ dataset: 'load', from: '2022-03-01 00:00', intervals: 4 }),
      );
      async function* broken() {
        yield good.subarray(0, 100);
        await Promise.resolve();
        throw new Error('invalid stored block lengths');
      }
      try {
        await parse(broken());
        expect.fail('the parse succeeded');
      } catch (err) {
        expect(err).to.be.instanceOf(UnreadableFileError);
        expect((err as Error).message).to.match(/invalid stored block lengths/);
      }
    });

    it('passes an error of the output on unchanged, for the caller to retry', async () => {
      const good = entsoeFile(
        'load',
        'official',
        seriesRows({ dataset: 'load', from: '2022-03-01 00:00', intervals: 4 }),
      );
      const full = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      try {
        await parseStream(Readable.from([good]), { write: () => Promise.reject(full) });
        expect.fail('the parse succeeded');
      } catch (err) {
        expect(err).to.equal(full);
      }
    });
  });

  describe('bad input', () => {
    const good = () => seriesRows({ dataset: 'load', from: '2022-03-01 00:00', intervals: 10 });

    async function fileError(
      bytes: Buffer | Buffer[],
      options: { expectDataset?: string; now?: Date } = {},
    ): Promise<FileError> {
      try {
        await parse(bytes, options);
      } catch (err) {
        expect(err).to.be.instanceOf(FileError);
        return err as FileError;
      }
      throw new Error('expected a FileError');
    }

    it('rejects an empty file as a whole', async () => {
      expect((await fileError(Buffer.alloc(0))).reason).to.equal('empty_file');
    });

    it('rejects a wrong header as a whole', async () => {
      expect((await fileError(Buffer.from('a\tb\tc\n1\t2\t3\n'))).reason).to.equal('unrecognized_header');
      expect(
        (await fileError(Buffer.from('"AreaRefName";"AreaName";"Country";"MapCode"\n'))).reason,
      ).to.equal('unrecognized_header');
    });

    it('rejects a file of another dataset when one is expected', async () => {
      expect(
        (await fileError(entsoeFile('load', 'official', good()), { expectDataset: 'flows' })).reason,
      ).to.equal('wrong_dataset');
    });

    it('rejects a file whose rows are all invalid', async () => {
      const rows = good().map((r) => ({ ...r, value: 'abc' }));
      const err = await fileError(entsoeFile('load', 'official', rows));
      expect(err.reason).to.equal('no_valid_rows');
    });

    it('counts each bad row by reason and keeps the good ones', async () => {
      const rows: FixtureRow[] = good();
      const bad: [string, FixtureRow][] = [
        ['invalid_number', { value: '12,5' }],
        ['invalid_number', { value: '1e5' }],
        ['invalid_datetime', { ts: '2022-02-30 00:00:00' }],
        ['invalid_datetime', { ts: '01/03/2022 00:00' }],
        ['misaligned_datetime', { ts: '2022-03-01 00:07:00' }],
        ['outside_month', { ts: '2022-04-01 00:00:00' }],
        ['invalid_update_time', { updated: 'yesterday' }],
        ['unknown_resolution', { resolution: 'PT5M' }],
        ['unknown_area_type', { area_type: 'XYZ' }],
        ['invalid_map_code', { map_code: 'D E' }],
      ];
      const base = rows[0] as FixtureRow;
      const withBad = [...rows, ...bad.map(([, change]) => ({ ...base, ...change }))];
      const lines = entsoeFile('load', 'snapshot', withBad).toString();
      const extra = '2022-03-01 00:00:00.000\tPT15M\tonly three\n' + `${'x'.repeat(MAX_LINE_BYTES + 10)}\n`;
      const { result } = await parse(Buffer.from(lines + extra));
      expect(result.rows).to.equal(10);
      expect(result.rejected).to.deep.equal({
        invalid_number: 2,
        invalid_datetime: 2,
        misaligned_datetime: 1,
        outside_month: 1,
        invalid_update_time: 1,
        unknown_resolution: 1,
        unknown_area_type: 1,
        invalid_map_code: 1,
        wrong_column_count: 1,
        line_too_long: 1,
      });
    });

    it('rejects rows of months after the next one, and a file of only such rows', async () => {
      const now = new Date('2026-12-03T14:00:00Z');
      const next = seriesRows({ dataset: 'load', from: '2027-01-01 00:00', intervals: 4 });
      const accepted = await parse(entsoeFile('load', 'official', next), { now });
      expect(accepted.result).to.include({ rows: 4, month: '2027-01' });
      const later = seriesRows({ dataset: 'load', from: '2027-02-01 00:00', intervals: 4 });
      const err = await fileError(entsoeFile('load', 'official', later), { now });
      expect(err.reason).to.equal('no_valid_rows');
      expect(err.message).to.match(/future_month/);
      const farOff = seriesRows({ dataset: 'load', from: '2099-01-01 00:00', intervals: 4 });
      const mixed = await parse(entsoeFile('load', 'official', [...farOff, ...next]), { now });
      expect(mixed.result).to.include({ rows: 4, month: '2027-01', firstTs: '2027-01-01 00:00:00' });
      expect(mixed.result.rejected).to.deep.equal({ future_month: 4 });
    });

    it('rejects unknown MapCodes and AreaCodes that are no EIC code, each counted with its reason', async () => {
      const rows = seriesRows({ dataset: 'flows', from: '2022-03-01 00:00', intervals: 6 });
      const base = rows[0] as FixtureRow;
      const bad: FixtureRow[] = [
        { ...base, out_map_code: '2R' },
        { ...base, in_map_code: 'DX' },
        { ...base, out_area_code: '10Y1001A1001A83G' },
        { ...base, in_area_code: 'FR' },
        { ...base, out_area_code: 'DE' },
        // Russia's and Belarus's CTY rows carry their MapCode as AreaCode in the real files.
        { ...base, out_map_code: 'RU', out_area_code: 'RU', out_area_name: 'RU CTY' },
      ];
      const { result } = await parse(entsoeFile('flows', 'official', [...rows, ...bad]));
      expect(result.rows).to.equal(7);
      expect(result.rejected).to.deep.equal({ unknown_map_code: 2, invalid_area_code: 3 });
    });

    it('rejects negative values (flows are one direction per row, load and generation are never below 0)', async () => {
      const flows = seriesRows({ dataset: 'flows', from: '2022-03-01 00:00', intervals: 4 });
      const flow = flows[0] as FixtureRow;
      const negativeFlows = [
        { ...flow, value: '-12.50' },
        { ...flow, value: '-0.01' },
      ];
      const parsed = await parse(entsoeFile('flows', 'official', [...flows, ...negativeFlows]));
      expect(parsed.result.rows).to.equal(4);
      expect(parsed.result.rejected).to.deep.equal({ negative_value: 2 });
      expect(
        parsed.rows.map((r) => Number(r[DATASETS.flows.columns.findIndex((c) => c.name === 'value')])),
      ).to.satisfy((values: number[]) => values.every((v) => v >= 0));

      const load = seriesRows({ dataset: 'load', from: '2022-03-01 00:00', intervals: 3 });
      const zero = { ...(load[0] as FixtureRow), ts: '2022-03-01 01:00:00', value: '-0.00' };
      const loadParsed = await parse(
        entsoeFile('load', 'r3', [...load, zero, { ...(load[1] as FixtureRow), value: '-812.00' }]),
      );
      // A minus zero is still zero.
      expect(loadParsed.result.rows).to.equal(4);
      expect(loadParsed.result.rejected).to.deep.equal({ negative_value: 1 });

      const generation = seriesRows({ dataset: 'generation', from: '2022-03-01 00:00', intervals: 3 });
      const row = generation[0] as FixtureRow;
      const generationParsed = await parse(
        entsoeFile('generation', 'snapshot', [
          ...generation,
          { ...row, value: '-3.00' },
          { ...row, value: '', consumption: '-250.00' },
          { ...row, value: '10.00', consumption: '-1.00' },
        ]),
      );
      expect(generationParsed.result.rows).to.equal(3);
      expect(generationParsed.result.rejected).to.deep.equal({ negative_value: 3 });
    });

    it('rejects rows with non-UTF-8 bytes and unknown production types', async () => {
      const rows = seriesRows({ dataset: 'generation', from: '2022-03-01 00:00', intervals: 4 });
      const text = entsoeFile('generation', 'snapshot', [
        ...rows,
        { ...(rows[0] as FixtureRow), production_type: 'Unicorn power' },
      ]);
      const broken = Buffer.concat([
        text,
        Buffer.from('2022-03-01 00:00:00.000\tPT15M\t10YXX----------X\tCTY\t'),
        Buffer.from([0xff, 0xfe]),
        Buffer.from('\tDE\tSolar\t1.00\t\t2022-03-01 01:00:00\n'),
      ]);
      const { result } = await parse(broken);
      expect(result.rows).to.equal(4);
      expect(result.rejected).to.deep.equal({ unknown_production_type: 1, invalid_utf8: 1 });
    });

    it('rejects a truncated last row and keeps the rest', async () => {
      const bytes = entsoeFile('load', 'official', good());
      const { result } = await parse(bytes.subarray(0, bytes.length - 30));
      expect(result.rows).to.equal(9);
      expect(result.rejected).to.deep.equal({ wrong_column_count: 1 });
    });

    it('skips a 2 GB line without holding it in memory', async function () {
      this.timeout(60_000);
      const header = entsoeFile('load', 'official', good());
      const block = Buffer.alloc(16 << 20, 0x41);
      function* huge() {
        yield header;
        for (let sent = 0; sent < 2 * 1024 ** 3; sent += block.length) yield block;
        yield Buffer.from('\r\n');
        yield entsoeFile('load', 'snapshot', good()).subarray(entsoeFile('load', 'snapshot', []).length);
      }
      const before = process.memoryUsage().rss;
      const { result } = await parse(huge());
      expect(result.rows).to.equal(20);
      expect(result.rejected).to.deep.equal({ line_too_long: 1 });
      expect(process.memoryUsage().rss - before).to.be.below(200 * 1024 * 1024);
    });

    it('rejects a first line longer than the limit as an unrecognized header', async () => {
      expect((await fileError(Buffer.alloc(MAX_LINE_BYTES + 5, 0x41))).reason).to.equal(
        'unrecognized_header',
      );
    });

    it('rewrites the spreadsheet UpdateTime form DD/MM/YYYY HH:MM explicitly and counts it', async () => {
      const rows = good().map((r) => ({ ...r, updated: '05/03/2022 14:07' }));
      const { result, rows: out } = await parse(entsoeFile('load', 'snapshot', rows));
      expect(result.spreadsheetUpdateTimes).to.equal(10);
      expect(out[0]?.[7]).to.equal('2022-03-05 14:07:00.000');
    });
  });

  it('takes the month from official and course file names', () => {
    expect(monthFromFileName('2022_01_ActualTotalLoad_6.1.A.csv')).to.equal('2022-01');
    expect(monthFromFileName('2022_03_07_09_ActualTotalLoad6.1.A.csv')).to.equal('2022-03');
    expect(monthFromFileName('new_atl.csv')).to.equal(null);
    expect(monthFromFileName('2022_13_x.csv')).to.equal(null);
  });

  describe('real ENTSO-E samples (../shared/entsoe/samples)', function () {
    this.timeout(120_000);
    const files = fs.existsSync(SAMPLES)
      ? (fs.readdirSync(SAMPLES, { recursive: true }) as string[])
          .filter((f) => f.endsWith('.csv') && !f.endsWith('countries_data.csv'))
          .sort()
      : [];
    if (files.length === 0) it.skip('no samples folder beside the repository');
    for (const file of files) {
      it(`reads ${file} and keeps every value exactly`, async () => {
        const bytes = fs.readFileSync(path.join(SAMPLES, file));
        const { result, rows } = await parse(bytes, { month: monthFromFileName(path.basename(file)) });
        const src = readSource(bytes);
        expect(result.layout).to.equal(bytes[0] === 0xef ? 'official' : 'snapshot');
        expect(result.rows + Object.values(result.rejected).reduce((a, b) => a + b, 0)).to.equal(
          src.rows.length,
        );
        expect(result.rejected).to.deep.equal({});
        expectExactRoundTrip(result.dataset.name, bytes, rows, false);
        if (result.rows > 0) expect(result.month).to.match(/^\d{4}-\d{2}$/);
      });
    }

    const zips = fs.existsSync(SAMPLES)
      ? (fs.readdirSync(SAMPLES, { recursive: true }) as string[]).filter((f) => f.endsWith('.zip'))
      : [];
    for (const file of zips) {
      it(`reads the CSV inside ${file} as it streams out of the archive`, async () => {
        const { result } = await parse(await openFirstCsvEntry(path.join(SAMPLES, file)), {
          month: monthFromFileName(path.basename(file)),
        });
        let lines = 0;
        for await (const chunk of await openFirstCsvEntry(path.join(SAMPLES, file))) {
          for (const byte of chunk as Buffer) if (byte === 0x0a) lines++;
        }
        expect(result.rows).to.equal(lines - 1);
        expect(result.rejected).to.deep.equal({});
        expect(result.month).to.match(/^\d{4}-\d{2}$/);
      });
    }
  });
});
