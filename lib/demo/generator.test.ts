import { expect } from 'chai';
import { Writable } from 'node:stream';
import type { DatasetName } from '../config/env.js';
import { DATASETS } from '../entsoe/datasets.js';
import { AREAS, BORDERS, QUARTERS_PER_INTERVAL } from './catalog.js';
import { officialFileName, officialFolder, writeMonthFile, type MonthFileOptions } from './generator.js';

interface DemoFile {
  dataset: DatasetName;
  bytes: Buffer;
  rows: string[][];
  reportedRows: number;
}

const VALUE_COLUMNS: Record<DatasetName, number> = { load: 1, generation: 2, flows: 1 };
const RESOLUTION_MS: Record<string, number> = { PT15M: 900_000, PT30M: 1_800_000, PT60M: 3_600_000 };

async function generate(options: Omit<MonthFileOptions, 'out'>): Promise<DemoFile> {
  const chunks: Buffer[] = [];
  const out = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk);
      callback();
    },
  });
  const stats = await writeMonthFile({ ...options, out });
  const bytes = Buffer.concat(chunks);
  expect(stats.bytes).to.equal(bytes.length);
  const lines = bytes.subarray(3).toString('utf8').split('\r\n');
  return {
    dataset: options.dataset,
    bytes,
    rows: lines.slice(1, -1).map((l) => l.split('\t')),
    reportedRows: stats.rows,
  };
}

function column(dataset: DatasetName, name: string): number {
  const index = DATASETS[dataset].legacyHeader.indexOf(name);
  if (index < 0) throw new Error(`no column ${name}`);
  return index;
}

/** The columns that name a series: everything between DateTime and the values. */
function seriesKey(file: DemoFile, row: string[]): string {
  return row
    .slice(1, DATASETS[file.dataset].legacyHeader.length - 1 - VALUE_COLUMNS[file.dataset])
    .join('\t');
}

const utc = (text: string): number => Date.parse(text.replace(' ', 'T').replace(/(\.000)?$/, 'Z'));
const hourOf = (row: string[]): number => Number(row[0]!.slice(11, 13));

describe('demo generator', function () {
  let januaryLoad: DemoFile;
  let januaryFlows: DemoFile;
  let juneGeneration: DemoFile;

  before(async function () {
    januaryLoad = await generate({
      dataset: 'load',
      month: '2024-01',
      until: new Date('2024-01-08T00:00:00Z'),
    });
    januaryFlows = await generate({
      dataset: 'flows',
      month: '2024-01',
      until: new Date('2024-01-02T00:00:00Z'),
    });
    juneGeneration = await generate({
      dataset: 'generation',
      month: '2024-06',
      until: new Date('2024-06-03T00:00:00Z'),
    });
  });

  const files = () => [januaryLoad, januaryFlows, juneGeneration];

  it('writes byte-identical files for the same options, and different values for another seed', async function () {
    const options = { dataset: 'flows', month: '2024-01', until: new Date('2024-01-02T00:00:00Z') } as const;
    const again = await generate(options);
    expect(again.bytes.equals(januaryFlows.bytes)).to.equal(true);
    const reseeded = await generate({ ...options, seed: 7 });
    expect(reseeded.bytes.equals(januaryFlows.bytes)).to.equal(false);
    expect(reseeded.rows.length).to.equal(januaryFlows.rows.length);
  });

  it('writes the official layout: UTF-8 BOM, CRLF lines, the legacy header of datasets.ts, a final CRLF', function () {
    for (const file of files()) {
      expect([...file.bytes.subarray(0, 3)]).to.deep.equal([0xef, 0xbb, 0xbf]);
      const text = file.bytes.subarray(3).toString('utf8');
      expect(text.split('\r\n')[0]).to.equal(DATASETS[file.dataset].legacyHeader.join('\t'));
      expect(text.endsWith('\r\n')).to.equal(true);
      expect(text.replace(/\r\n/g, '')).not.to.match(/[\r\n"]/);
      expect(file.rows.length).to.equal(file.reportedRows);
      const columns = DATASETS[file.dataset].legacyHeader.length;
      expect(file.rows.find((row) => row.length !== columns)).to.equal(undefined);
    }
  });

  it('formats DateTime with .000, UpdateTime without, MW values with two decimals and no value as empty', function () {
    const dateTime = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:00\.000$/;
    const updateTime = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;
    const value = /^(\d+\.\d{2})?$/;
    for (const file of files()) {
      const last = DATASETS[file.dataset].legacyHeader.length - 1;
      const firstValue = last - VALUE_COLUMNS[file.dataset];
      const malformed = file.rows.find((row) => {
        const values = row.slice(firstValue, last);
        return (
          !dateTime.test(row[0]!) ||
          !updateTime.test(row[last]!) ||
          !values.every((v) => value.test(v)) ||
          values.every((v) => v === '')
        );
      });
      expect(malformed).to.equal(undefined);
    }
    // Only ActualConsumption may be empty.
    expect(januaryLoad.rows.some((row) => row[column('load', 'TotalLoadValue')] === '')).to.equal(false);
    expect(januaryFlows.rows.some((row) => row[column('flows', 'FlowValue')] === '')).to.equal(false);
  });

  it('names official files and folders like the Transparency Platform', function () {
    expect(officialFileName('load', '2022-01')).to.equal('2022_01_ActualTotalLoad_6.1.A.csv');
    expect(officialFileName('generation', '2022-01')).to.equal(
      '2022_01_AggregatedGenerationPerType_16.1.B_C.csv',
    );
    expect(officialFileName('flows', '2022-01')).to.equal('2022_01_PhysicalFlows_12.1.G.csv');
    expect(officialFolder('load')).to.equal('ActualTotalLoad_6.1.A');
    expect(officialFolder('generation')).to.equal('AggregatedGenerationPerType_16.1.B_C');
    expect(officialFolder('flows')).to.equal('PhysicalFlows_12.1.G');
    expect(() => officialFileName('load', '2022-13')).to.throw(/YYYY-MM/);
  });

  it('publishes CTY, BZN and CTA series in every dataset', function () {
    const typeColumns: Record<DatasetName, string> = {
      load: 'AreaTypeCode',
      generation: 'AreaTypeCode',
      flows: 'OutAreaTypeCode',
    };
    for (const file of files()) {
      const types = new Set(file.rows.map((row) => row[column(file.dataset, typeColumns[file.dataset])]));
      expect([...types].sort()).to.deep.equal(['BZN', 'CTA', 'CTY']);
    }
  });

  it('writes every interval of every series exactly once in a complete month, and nothing outside it', async function () {
    const february = await generate({
      dataset: 'load',
      month: '2024-02',
      until: new Date('2024-03-15T00:00:00Z'),
    });
    const expected = AREAS.reduce(
      (sum, area) => sum + (area.load ? (29 * 96) / QUARTERS_PER_INTERVAL[area.load.resolution] : 0),
      0,
    );
    expect(february.rows.length).to.equal(expected);
    const keys = new Set(february.rows.map((row) => row[0]! + seriesKey(february, row)));
    expect(keys.size).to.equal(expected);
    expect(february.rows.every((row) => row[0]!.startsWith('2024-02'))).to.equal(true);
  });

  it('publishes only the intervals that ended by `until`', async function () {
    const until = Date.parse('2024-01-01T05:30:00Z');
    const partial = await generate({ dataset: 'load', month: '2024-01', until: new Date(until) });
    expect(partial.rows.length).to.be.greaterThan(0);
    expect(partial.rows.every((row) => utc(row[0]!) + RESOLUTION_MS[row[1]!]! <= until)).to.equal(true);
    const hourly = partial.rows.filter((row) => row[1] === 'PT60M');
    expect(Math.max(...hourly.map((row) => utc(row[0]!)))).to.equal(Date.parse('2024-01-01T04:00:00Z'));
    const empty = await generate({
      dataset: 'load',
      month: '2024-01',
      until: new Date('2024-01-01T00:10:00Z'),
    });
    expect(empty.rows).to.have.length(0);
  });

  it('groups rows by series, not in time order within a series', function () {
    for (const file of files()) {
      const seen = new Set<string>();
      let previous = '';
      let unordered = 0;
      let previousTime = 0;
      for (const row of file.rows) {
        const key = seriesKey(file, row);
        const time = utc(row[0]!);
        if (key !== previous) {
          expect(seen.has(key), `series ${key} comes back after another series`).to.equal(false);
          seen.add(key);
          previous = key;
        } else if (time < previousTime) {
          unordered++;
        }
        previousTime = time;
      }
      expect(unordered).to.be.greaterThan(0);
    }
  });

  it('sizes a month like the real files: about 205 load, 1,800 generation and 700 flow rows per hour', function () {
    const perHour = (file: DemoFile, hours: number) => file.rows.length / hours;
    expect(perHour(januaryLoad, 7 * 24)).to.be.within(180, 230);
    expect(perHour(juneGeneration, 2 * 24)).to.be.within(1600, 2000);
    expect(perHour(januaryFlows, 24)).to.be.within(600, 800);
  });

  it('grows: a later `until` keeps every earlier row in the same order and adds new ones', async function () {
    const earlier = await generate({
      dataset: 'flows',
      month: '2024-01',
      until: new Date('2024-01-01T12:00:00Z'),
    });
    const later = januaryFlows;
    const key = (file: DemoFile, row: string[]) => row[0]! + '\t' + seriesKey(file, row);
    const position = new Map(later.rows.map((row, i) => [key(later, row), i]));
    let last = -1;
    let changed = 0;
    for (const row of earlier.rows) {
      const at = position.get(key(earlier, row));
      expect(at, `row ${row.join(' ')} is missing from the later file`).not.to.equal(undefined);
      expect(at!).to.be.greaterThan(last);
      last = at!;
      const newer = later.rows[at!]!;
      if (newer.join('\t') !== row.join('\t')) {
        changed++;
        expect(newer.at(-1)! > row.at(-1)!, 'a changed row has a later UpdateTime').to.equal(true);
      }
    }
    expect(later.rows.length).to.be.greaterThan(earlier.rows.length * 1.5);
    expect(changed).to.be.below(earlier.rows.length * 0.01);
  });

  it('revises about 0.1 % of values hours later: a later version shows a changed value and a later UpdateTime', async function () {
    // Revisions come 3 to 48 hours after the interval, so by January 4 every value of January 1 has its final version.
    const later = await generate({
      dataset: 'flows',
      month: '2024-01',
      until: new Date('2024-01-04T00:00:00Z'),
    });
    const flow = column('flows', 'FlowValue');
    const updated = column('flows', 'UpdateTime');
    const firstVersion = new Map(
      januaryFlows.rows.map((row) => [row[0]! + seriesKey(januaryFlows, row), row]),
    );
    const firstDay = later.rows.filter((row) => row[0]!.startsWith('2024-01-01'));
    const revised = firstDay.filter((row) => utc(row[updated]!) - utc(row[0]!) >= 3 * 3_600_000);
    expect(revised.length / firstDay.length).to.be.within(0.0004, 0.002);
    let corrected = 0;
    for (const row of revised) {
      const first = firstVersion.get(row[0]! + seriesKey(later, row))!;
      if (first[updated] === row[updated]) continue; // already revised when the earlier version was written
      expect(first[updated]! < row[updated]!).to.equal(true);
      if (Number(first[flow]) >= 1) {
        expect(row[flow]).not.to.equal(first[flow]);
        corrected++;
      }
    }
    expect(corrected).to.be.greaterThan(0);
  });

  it('sets UpdateTime a few minutes after the interval end', function () {
    const updated = column('load', 'UpdateTime');
    const late = januaryLoad.rows.filter((row) => {
      const delay = utc(row[updated]!) - (utc(row[0]!) + RESOLUTION_MS[row[1]!]!);
      return delay <= 0 || delay > 15 * 60_000;
    });
    // Only revised values come later, hours after the interval.
    expect(late.length).to.be.below(januaryLoad.rows.length * 0.002);
    for (const row of late) {
      expect(utc(row[updated]!) - utc(row[0]!)).to.be.at.least(3 * 3_600_000);
    }
  });

  describe('realism', function () {
    const ctyRows = (file: DemoFile, productionType?: string) =>
      file.rows.filter(
        (row) =>
          row[column(file.dataset, file.dataset === 'flows' ? 'OutAreaTypeCode' : 'AreaTypeCode')] ===
            'CTY' &&
          (productionType === undefined || row[column('generation', 'ProductionType')] === productionType),
      );
    const output = column('generation', 'ActualGenerationOutput');

    it('keeps solar at zero around midnight and positive at noon in summer', function () {
      const solar = ctyRows(juneGeneration, 'Solar');
      const night = solar.filter((row) => [22, 23, 0].includes(hourOf(row)));
      const noon = solar.filter((row) => hourOf(row) === 11);
      expect(night.length).to.be.greaterThan(100);
      expect(noon.length).to.be.greaterThan(50);
      expect(night.filter((row) => row[output] !== '0.00')).to.deep.equal([]);
      expect(noon.filter((row) => !(Number(row[output]) > 0))).to.deep.equal([]);
    });

    it('has a higher total load at 18:00 than at 04:00 UTC on every weekday', function () {
      const value = column('load', 'TotalLoadValue');
      const totals = new Map<string, number>();
      for (const row of ctyRows(januaryLoad)) {
        const hour = hourOf(row);
        if (hour !== 4 && hour !== 18) continue;
        const key = `${row[0]!.slice(0, 10)} ${hour}`;
        // Mean MW over the hour: quarter-hourly rows count a quarter each.
        const weight = RESOLUTION_MS[row[1]!]! / 3_600_000;
        totals.set(key, (totals.get(key) ?? 0) + weight * Number(row[value]));
      }
      const weekdays = ['2024-01-01', '2024-01-02', '2024-01-03', '2024-01-04', '2024-01-05'];
      for (const day of weekdays)
        expect(totals.get(`${day} 18`)!).to.be.greaterThan(totals.get(`${day} 4`)! * 1.15);
      expect(totals.get('2024-01-06 18')!).to.be.below(totals.get('2024-01-03 18')!);
    });

    it('has flows in both directions over every border, changing over the day', function () {
      const value = column('flows', 'FlowValue');
      const rows = ctyRows(januaryFlows);
      const bySeries = new Map<string, number[]>();
      for (const row of rows) {
        const key = `${row[column('flows', 'OutMapCode')]!}>${row[column('flows', 'InMapCode')]!}`;
        bySeries.set(key, [...(bySeries.get(key) ?? []), Number(row[value])]);
      }
      for (const key of bySeries.keys()) {
        const [out, into] = key.split('>');
        expect(bySeries.has(`${into!}>${out!}`), `${key} has no opposite direction`).to.equal(true);
      }
      const changing = [...bySeries.values()].filter((v) => Math.max(...v) - Math.min(...v) > 10);
      expect(changing.length).to.be.greaterThan(bySeries.size * 0.8);
      const flowing = [...bySeries.values()].filter((v) => v.some((x) => x > 0));
      expect(flowing.length).to.be.greaterThan(bySeries.size * 0.7);
      expect(bySeries.size).to.equal(BORDERS.filter((b) => b.type === 'CTY').length);
    });

    it('lets wind wander: varying values that move gradually from one quarter-hour to the next', function () {
      const wind = ctyRows(juneGeneration, 'Wind Onshore')
        .filter((row) => row[column('generation', 'MapCode')] === 'DE')
        .map((row) => ({ time: utc(row[0]!), mw: Number(row[output]) }))
        .sort((a, b) => a.time - b.time)
        .map((point) => point.mw);
      expect(wind).to.have.length(2 * 96);
      expect(new Set(wind).size).to.be.greaterThan(150);
      const range = Math.max(...wind) - Math.min(...wind);
      const meanStep =
        wind.slice(1).reduce((sum, mw, i) => sum + Math.abs(mw - wind[i]!), 0) / (wind.length - 1);
      expect(range).to.be.greaterThan(1000);
      expect(meanStep).to.be.below(range / 10);
    });

    it('reports ActualConsumption for pumped storage while pumping and leaves it empty for most types', function () {
      const consumption = column('generation', 'ActualConsumption');
      const empty = juneGeneration.rows.filter((row) => row[consumption] === '').length;
      expect(empty / juneGeneration.rows.length).to.be.within(0.6, 0.9);
      const storage = ctyRows(juneGeneration, 'Hydro Pumped Storage');
      const nightPumping = storage.filter((row) => hourOf(row) === 1 && Number(row[consumption]) > 0);
      expect(nightPumping.length).to.be.greaterThan(storage.filter((row) => hourOf(row) === 1).length / 2);
      const peakGenerating = storage.filter((row) => hourOf(row) === 17 && Number(row[output]) > 0);
      expect(peakGenerating.length).to.be.greaterThan(storage.filter((row) => hourOf(row) === 17).length / 2);
      const types = new Set(
        juneGeneration.rows
          .filter((row) => row[consumption] !== '' && row[consumption] !== '0.00')
          .map((row) => row[column('generation', 'ProductionType')]),
      );
      expect([...types]).to.deep.equal(['Hydro Pumped Storage']);
    });

    it('gives BZN and CTA rows the value of their CTY where they cover the same area, and split zones add up', function () {
      const mapCode = column('generation', 'MapCode');
      const type = column('generation', 'AreaTypeCode');
      const productionType = column('generation', 'ProductionType');
      const updated = column('generation', 'UpdateTime');
      // Revisions are drawn per series, so a revised row may differ from its twin: compare first publications.
      const firstPublication = (row: string[]) =>
        utc(row[updated]!) - utc(row[0]!) - RESOLUTION_MS[row[1]!]! <= 15 * 60_000;
      const values = new Map<string, number>();
      for (const row of juneGeneration.rows) {
        if (firstPublication(row)) {
          values.set(
            `${row[type]!}|${row[mapCode]!}|${row[productionType]!}|${row[0]!}`,
            Number(row[output]),
          );
        }
      }
      const germanControlAreas = AREAS.filter((a) => a.type === 'CTA' && a.country.mapCode === 'DE');
      let twins = 0;
      let sums = 0;
      for (const [key, mw] of values) {
        const [areaType, map, production, time] = key.split('|');
        if (areaType !== 'CTY') continue;
        if (map === 'FR') {
          for (const other of ['BZN', 'CTA']) {
            const twin = values.get(`${other}|FR|${production!}|${time!}`);
            if (twin === undefined) continue;
            expect(twin).to.equal(mw);
            twins++;
          }
        }
        if (map === 'DE') {
          const holders = germanControlAreas.filter((a) =>
            a.generation?.types.some((t) => t.productionType === production),
          );
          const parts = holders.map((a) => values.get(`CTA|${a.mapCode}|${production!}|${time!}`));
          if (parts.some((p) => p === undefined)) continue;
          expect(parts.reduce((sum, p) => sum! + p!, 0)).to.be.closeTo(mw, 0.05);
          sums++;
        }
      }
      expect(twins).to.be.greaterThan(1000);
      expect(sums).to.be.greaterThan(2000);
    });
  });
});
