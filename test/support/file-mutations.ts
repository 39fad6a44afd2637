import { gzipSync } from 'node:zlib';
import yazl from 'yazl';
import type { DatasetName } from '../../lib/config/env.js';
import { DATASETS, type ColumnKind } from '../../lib/entsoe/datasets.js';
import type { LayoutName } from '../../lib/entsoe/layout.js';
import { SeededRandom } from './seeded-random.js';

/** A file as a source hands it over: its bytes and the name its month is read from. */
export interface SourceFile {
  /** Which sample or fixture, for people. */
  base: string;
  dataset: DatasetName;
  layout: LayoutName;
  name: string;
  bytes: Buffer;
}

/**
 * What a ZIP archive holds, as the README tells them apart: the file's CSV, no CSV at all (refused at
 * once), or bytes that cannot be read (tried at three polls, then refused as `unreadable`).
 */
export type ArchiveKind = 'intact' | 'without a CSV' | 'damaged';

/** A damaged copy of a source file. `archive`: the bytes are a ZIP a source opens with the archive reader. */
export interface MutatedFile {
  base: string;
  dataset: DatasetName;
  what: string;
  name: string;
  bytes: Buffer;
  archive?: ArchiveKind;
  /** The folder it is found in is another dataset's. */
  expectDataset?: DatasetName;
}

/** A file cut into header and rows, to damage structurally and write back. */
interface Table {
  bom: boolean;
  eol: string;
  finalEol: boolean;
  header: string[];
  rows: string[][];
}

function table(file: SourceFile): Table {
  const bom = file.bytes[0] === 0xef && file.bytes[1] === 0xbb && file.bytes[2] === 0xbf;
  const text = file.bytes.subarray(bom ? 3 : 0).toString('utf8');
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const finalEol = text.endsWith('\n');
  const lines = (finalEol ? text.slice(0, -eol.length) : text).split(eol);
  return {
    bom,
    eol,
    finalEol,
    header: (lines[0] ?? '').split('\t'),
    rows: lines.slice(1).map((l) => l.split('\t')),
  };
}

interface Written {
  bytes: Buffer;
  /** Byte range of each cell: `cells[line][column]`, line 0 the header. */
  cells: [number, number][][];
  /** Byte offset of each line terminator (its first byte). */
  ends: number[];
}

function write(t: Table): Written {
  const parts: Buffer[] = [];
  let at = 0;
  const push = (b: Buffer) => {
    parts.push(b);
    at += b.length;
  };
  if (t.bom) push(Buffer.from([0xef, 0xbb, 0xbf]));
  const cells: [number, number][][] = [];
  const ends: number[] = [];
  const lines = [t.header, ...t.rows];
  lines.forEach((line, i) => {
    const row: [number, number][] = [];
    line.forEach((cell, j) => {
      if (j > 0) push(Buffer.from('\t'));
      const b = Buffer.from(cell, 'utf8');
      row.push([at, at + b.length]);
      push(b);
    });
    cells.push(row);
    if (i < lines.length - 1 || t.finalEol) {
      ends.push(at);
      push(Buffer.from(t.eol));
    }
  });
  return { bytes: Buffer.concat(parts), cells, ends };
}

function bytesOf(t: Table): Buffer {
  return write(t).bytes;
}

/** The file with one cell's bytes replaced by `bytes`, which may be in any encoding. */
function withCell(t: Table, row: number, column: number, bytes: Buffer): Buffer {
  const written = write(t);
  const [start, end] = written.cells[row + 1]?.[column] ?? [0, 0];
  return Buffer.concat([written.bytes.subarray(0, start), bytes, written.bytes.subarray(end)]);
}

function clone(t: Table): Table {
  return { ...t, header: [...t.header], rows: t.rows.map((r) => [...r]) };
}

/** Source columns of a kind, by header name: a dataset's map codes are one column, a flow's two. */
function columnsOf(file: SourceFile, t: Table, kind: ColumnKind): number[] {
  const spec = DATASETS[file.dataset];
  return spec.columns
    .filter((c) => c.kind === kind)
    .map((c) => t.header.indexOf(file.layout === 'r3' ? c.r3 : c.legacy))
    .filter((i) => i >= 0);
}

/** A ZIP archive of `entries`, each a name and its bytes. */
export async function zipBytes(entries: readonly (readonly [string, Buffer])[]): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const [name, content] of entries) zip.addBuffer(content, name);
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

const PLACES: readonly { place: string; kind?: ColumnKind }[] = [
  { place: 'separator' },
  { place: 'header name' },
  { place: 'header separator' },
  { place: 'date', kind: 'datetime' },
  { place: 'resolution code', kind: 'resolution' },
  { place: 'area type', kind: 'areaType' },
  { place: 'map code', kind: 'mapCode' },
  { place: 'area code', kind: 'areaCode' },
  { place: 'production type', kind: 'productionType' },
  { place: 'value', kind: 'value' },
  { place: 'update time', kind: 'updated' },
  { place: 'line end' },
];

/**
 * Damaged copies of a file: single bit flips in every structural place, truncations, column and line
 * changes, foreign bytes and encodings, implausible years and numbers, and row-level corrections. The
 * positions are drawn from `seed`, so a run can be repeated; `broad` adds the kinds that only need one
 * file per dataset (encodings, archives, line endings).
 */
export async function mutationsOf(
  file: SourceFile,
  seed: number,
  options: { broad: boolean; flipsPerPlace: number; other: SourceFile },
): Promise<MutatedFile[]> {
  const random = new SeededRandom(seed, file.base);
  const t = table(file);
  const w = write(t);
  const out: MutatedFile[] = [];
  const add = (what: string, bytes: Buffer, extra: Partial<MutatedFile> = {}) => {
    out.push({ base: file.base, dataset: file.dataset, what, name: file.name, bytes, ...extra });
  };
  const dataRow = () => 1 + random.int(t.rows.length);
  const pickRow = () => random.int(t.rows.length);

  // Single bit flips where a parser must notice, or cannot.
  for (const { place, kind } of PLACES) {
    const columns = kind ? columnsOf(file, t, kind) : [];
    if (kind && columns.length === 0) continue;
    for (let n = 0; n < options.flipsPerPlace; n++) {
      let offset: number;
      if (place === 'separator') {
        const line = w.cells[dataRow()] ?? [];
        offset = (line[1 + random.int(line.length - 1)] ?? [1, 1])[0] - 1;
      } else if (place === 'header name') {
        const [start, end] = w.cells[0]?.[random.int(t.header.length)] ?? [0, 1];
        offset = start + random.int(Math.max(1, end - start));
      } else if (place === 'header separator')
        offset = (w.cells[0]?.[1 + random.int(t.header.length - 1)] ?? [1, 1])[0] - 1;
      else if (place === 'line end')
        offset =
          (w.ends[1 + random.int(Math.max(1, w.ends.length - 1))] ?? w.bytes.length) +
          random.int(t.eol.length);
      else {
        const [start, end] = w.cells[dataRow()]?.[random.pick(columns)] ?? [0, 0];
        if (end === start) continue;
        offset = start + random.int(end - start);
      }
      if (offset < 0 || offset >= w.bytes.length) continue;
      const bit = random.int(8);
      const bytes = Buffer.from(w.bytes);
      bytes[offset] = (bytes[offset] as number) ^ (1 << bit);
      add(
        `bit ${bit} flipped in a ${place} (byte ${offset}: ${JSON.stringify(String.fromCharCode(w.bytes[offset] as number))} → ${JSON.stringify(String.fromCharCode(bytes[offset] as number))})`,
        bytes,
      );
    }
  }
  if (t.bom) {
    const bytes = Buffer.from(w.bytes);
    bytes[1] = (bytes[1] as number) ^ 0x04;
    add('bit 2 flipped in the byte-order mark', bytes);
  }

  // Truncation.
  for (const kind of ['datetime', 'value', 'updated'] as const) {
    const row = w.cells[dataRow()] ?? [];
    const [start, end] = row[columnsOf(file, t, kind)[0] ?? 0] ?? [0, 0];
    add(
      `truncated inside the ${kind} of a row`,
      w.bytes.subarray(0, start + Math.max(1, Math.floor((end - start) / 2))),
    );
  }
  add('truncated inside the header', w.bytes.subarray(0, Math.floor((w.cells[0]?.at(-1)?.[1] ?? 2) / 2)));
  add('truncated to nothing', Buffer.alloc(0));
  add('truncated after the header and one byte', w.bytes.subarray(0, (w.ends[0] ?? 0) + t.eol.length + 1));
  if (t.bom) add('truncated inside the byte-order mark', w.bytes.subarray(0, 2));
  {
    const u = clone(t);
    const r = pickRow();
    const name = columnsOf(file, t, 'label')[0] ?? 0;
    (u.rows[r] as string[])[name] = 'Österreich – Zürich';
    u.rows = u.rows.slice(0, r + 1);
    const written = write(u);
    const [start] = written.cells[r + 1]?.[name] ?? [0];
    add('truncated inside a UTF-8 sequence of a name', written.bytes.subarray(0, start + 1));
  }

  // Columns.
  const swap = (a: number, b: number, header = true, rows = true) => {
    const u = clone(t);
    const s = (line: string[]) => {
      [line[a], line[b]] = [line[b] as string, line[a] as string];
    };
    if (header) s(u.header);
    if (rows) for (const row of u.rows) s(row);
    return u;
  };
  const value = columnsOf(file, t, 'value')[0] ?? 0;
  const updated = columnsOf(file, t, 'updated')[0] ?? t.header.length - 1;
  const label = columnsOf(file, t, 'label')[0] ?? 1;
  const areaType = columnsOf(file, t, 'areaType')[0] ?? 2;
  add('columns reordered: value and UpdateTime swapped', bytesOf(swap(value, updated)));
  add('columns reordered: area name and area type swapped', bytesOf(swap(label, areaType)));
  {
    const order = t.header.map((_, i) => i);
    for (let i = order.length - 1; i > 0; i--) {
      const j = random.int(i + 1);
      [order[i], order[j]] = [order[j] as number, order[i] as number];
    }
    const u = clone(t);
    u.header = order.map((i) => t.header[i] as string);
    u.rows = t.rows.map((row) => order.map((i) => row[i] as string));
    add(`columns in a random order (${order.join(',')})`, bytesOf(u));
  }
  add('header names swapped, rows not', bytesOf(swap(value, updated, true, false)));
  {
    const c = random.int(t.header.length);
    const u = clone(t);
    u.header.splice(c, 0, t.header[c] as string);
    for (const row of u.rows) row.splice(c, 0, row[c] ?? '');
    add(`column ${t.header[c] ?? ''} duplicated`, bytesOf(u));
    const v = clone(t);
    v.header.splice(c, 1);
    for (const row of v.rows) row.splice(c, 1);
    add(`column ${t.header[c] ?? ''} missing`, bytesOf(v));
    const x = clone(t);
    x.header.push('Comment');
    for (const row of x.rows) row.push('checked');
    add('an extra column', bytesOf(x));
    const y = clone(t);
    y.header[c] = t.header[(c + 1) % t.header.length] as string;
    add('one header name replaced by another column’s name', bytesOf(y));
  }
  {
    const u = clone(t);
    u.rows.splice(Math.floor(u.rows.length / 2), 0, [...t.header]);
    add('the header repeated in the middle', bytesOf(u));
    const v = clone(t);
    const r = pickRow();
    (v.rows[r] as string[]).push('');
    const x = clone(t);
    (x.rows[r] as string[]).pop();
    add('a row with an extra trailing tab', bytesOf(v));
    add('a row without its last field', bytesOf(x));
  }
  add('header names padded with spaces', bytesOf({ ...clone(t), header: t.header.map((h) => ` ${h} `) }));
  add('header only', bytesOf({ ...clone(t), rows: [] }));
  add('header names in lower case', bytesOf({ ...clone(t), header: t.header.map((h) => h.toLowerCase()) }));

  // Implausible years and times.
  const ts = columnsOf(file, t, 'datetime')[0] ?? 0;
  const shiftYear = (year: string, rows: 'all' | number) => {
    const u = clone(t);
    u.rows.forEach((row, i) => {
      if (rows === 'all' || rows === i) row[ts] = `${year}${(row[ts] ?? '').slice(4)}`;
    });
    return u;
  };
  add('every row in 1900', bytesOf(shiftYear('1900', 'all')));
  add('every row in 2099, name without a month', bytesOf(shiftYear('2099', 'all')), {
    name: `shifted-${file.name.replace(/^\d{4}_\d{2}_/, '')}`,
  });
  add('every row in 2099, name saying 2099', bytesOf(shiftYear('2099', 'all')), {
    name: file.name.replace(/^\d{4}_/, '2099_'),
  });
  add('one row in 2099', bytesOf(shiftYear('2099', pickRow())));
  {
    const u = clone(t);
    const r = pickRow();
    (u.rows[r] as string[])[updated] = `2099${((u.rows[r] as string[])[updated] ?? '').slice(4)}`;
    add('one UpdateTime in 2099', bytesOf(u));
    const v = clone(t);
    (v.rows[r] as string[])[ts] = ((v.rows[r] as string[])[ts] ?? '').replace(
      /^(\d{4}-\d{2}-\d{2}) (\d{2})/,
      '$1 24',
    );
    add('an interval starting at hour 24', bytesOf(v));
    const x = clone(t);
    (x.rows[r] as string[])[ts] = ((x.rows[r] as string[])[ts] ?? '').replace(/:00(\.0+)?$/, ':30$1');
    add('an interval starting at 30 seconds', bytesOf(x));
    const y = clone(t);
    (y.rows[r] as string[])[ts] = ((y.rows[r] as string[])[ts] ?? '').replace(' ', 'T');
    add('an interval start with a T', bytesOf(y));
  }

  // Numbers.
  for (const [what, text] of [
    ['a 15-digit value', '123456789012345.12'],
    ['a 20-digit value', '12345678901234567890'],
    ['NaN', 'NaN'],
    ['Infinity', 'Infinity'],
    ['an exponent', '1.5e3'],
    ['a decimal comma', '1234,5'],
    ['a negative value', '-1234.5'],
    ['minus zero', '-0.0'],
    ['an empty value', ''],
    ['a value with a space', ' 12.5'],
  ] as const) {
    if (!options.broad && !['a 15-digit value', 'NaN', 'a negative value'].includes(what)) continue;
    const u = clone(t);
    (u.rows[pickRow()] as string[])[value] = text;
    add(`${what} (${JSON.stringify(text)})`, bytesOf(u));
  }

  // Rows: order, repetition and corrections, which the importer must merge by UpdateTime.
  const later = (u: string, days: number) => {
    const iso = /^(\d{2})\/(\d{2})\/(\d{4}) (\d{2}):(\d{2})$/.exec(u);
    const text = iso ? `${iso[3]}-${iso[2]}-${iso[1]} ${iso[4]}:${iso[5]}:00` : u.slice(0, 19);
    const d = new Date(Date.parse(`${text.replace(' ', 'T')}Z`) + days * 86_400_000);
    return d.toISOString().slice(0, 19).replace('T', ' ');
  };
  const bump = (v: string) => (v === '' ? '1.5' : (Number(v) + 1.25).toFixed(2));
  {
    const u = clone(t);
    u.rows.reverse();
    add('rows in reverse order', bytesOf(u));
    const v = clone(t);
    v.rows.push(...t.rows.slice(0, 5).map((r) => [...r]));
    add('the first five rows repeated at the end', bytesOf(v));
    const r = pickRow();
    const x = clone(t);
    const corrected = [...(t.rows[r] as string[])];
    corrected[value] = bump(corrected[value] ?? '');
    corrected[updated] = later(corrected[updated] ?? '', 3);
    x.rows.push(corrected);
    add('a row corrected later in the same file', bytesOf(x));
    const republished = clone(t);
    for (const row of republished.rows) row[updated] = later(row[updated] ?? '', 30);
    add('republished 30 days later with the same values', bytesOf(republished));
    const stale = clone(t);
    for (const row of stale.rows) {
      row[value] = bump(row[value] ?? '');
      row[updated] = later(row[updated] ?? '', 10);
    }
    add(
      'an older version (10 days later than the original, before the republication) with other values',
      bytesOf(stale),
    );
  }
  add('a file of another dataset in this dataset’s folder', options.other.bytes, {
    name: options.other.name,
    expectDataset: file.dataset,
  });
  if (!options.broad) return out;

  // Kinds that need one file per dataset: line endings, foreign bytes, encodings, archives, long lines.
  add('CR-only line endings', bytesOf({ ...clone(t), eol: '\r' }));
  add(
    t.eol === '\r\n' ? 'LF line endings' : 'CRLF line endings',
    bytesOf({ ...clone(t), eol: t.eol === '\r\n' ? '\n' : '\r\n' }),
  );
  add(
    'mixed line endings',
    Buffer.from(
      w.bytes
        .toString('latin1')
        .split(t.eol)
        .map((l, i) => l + (i % 2 ? '\n' : '\r\n'))
        .join(''),
      'latin1',
    ),
  );
  {
    const u = clone(t);
    u.rows.splice(1, 0, [''], ['   '], ['']);
    add('blank lines and a line of spaces', bytesOf(u));
  }
  add('no line terminator at the end', bytesOf({ ...clone(t), finalEol: false }));
  add('three line terminators at the end', Buffer.concat([w.bytes, Buffer.from(t.eol.repeat(3))]));
  for (const [what, column] of [
    ['value', value],
    ['name', label],
    ['map code', columnsOf(file, t, 'mapCode')[0] ?? 0],
    ['interval start', ts],
  ] as const) {
    const u = clone(t);
    const row = u.rows[pickRow()] as string[];
    row[column] = `${(row[column] ?? '').slice(0, 2)}\u0000${(row[column] ?? '').slice(2)}`;
    add(`a NUL byte in a ${what}`, bytesOf(u));
  }
  add(
    'a line of NUL bytes',
    bytesOf({ ...clone(t), rows: [...t.rows.slice(0, 3), ['\u0000'.repeat(200)], ...t.rows.slice(3)] }),
  );
  add('NUL bytes before the header', Buffer.concat([Buffer.alloc(16), w.bytes]));
  const garbage = Buffer.from(Array.from({ length: 4096 }, () => random.int(256)));
  add('binary garbage', garbage);
  add('binary garbage after the rows', Buffer.concat([w.bytes, garbage]));
  add('gzip-compressed', gzipSync(w.bytes));
  add(
    'UTF-16LE with a byte-order mark',
    Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from(w.bytes.toString('utf8').replace(/^\ufeff/, ''), 'utf16le'),
    ]),
  );
  add(
    'UTF-16BE',
    Buffer.from(Buffer.from(`\ufeff${w.bytes.toString('utf8').replace(/^\ufeff/, '')}`, 'utf16le').swap16()),
  );
  add('a name in Latin-1', withCell(t, pickRow(), label, Buffer.from('ÖSTERREICH', 'latin1')));
  add(
    'a name in Windows-1252',
    withCell(t, pickRow(), label, Buffer.from([0x93, 0x73, 0x6d, 0x61, 0x72, 0x74, 0x94])),
  );
  {
    const u = clone(t);
    (u.rows[pickRow()] as string[])[label] = 'A'.repeat(5000);
    add('a 5,000-byte line', bytesOf(u));
    const v = clone(t);
    (v.rows[pickRow()] as string[])[label] = 'B'.repeat(70 * 1024);
    add('a 70 KiB line', bytesOf(v));
    add('a 70 KiB first line', Buffer.concat([Buffer.alloc(70 * 1024, 0x41), Buffer.from(t.eol), w.bytes]));
    const x = clone(t);
    (x.rows[pickRow()] as string[])[label] = `  ${'N'.repeat(300)}\\\t`.replace('\t', '\u0001');
    add('a 300-character name with a backslash and a control character', bytesOf(x));
  }
  const csvName = file.name.replace(/\.csv$/i, '') + '.csv';
  const zipName = file.name.replace(/\.csv$/i, '') + '.zip';
  const zip = await zipBytes([[csvName, w.bytes]]);
  add('in a ZIP archive', zip, { archive: 'intact', name: zipName });
  add('in a ZIP archive truncated to half', zip.subarray(0, Math.floor(zip.length / 2)), {
    archive: 'damaged',
    name: zipName,
  });
  {
    const damaged = Buffer.from(zip);
    const at = 30 + csvName.length + Math.floor((zip.length - 60) / 4);
    damaged[at] = (damaged[at] as number) ^ 0xff;
    add('in a ZIP archive with a damaged byte in the data', damaged, { archive: 'damaged', name: zipName });
  }
  add('a ZIP archive of a text file only', await zipBytes([['readme.txt', Buffer.from('no data here')]]), {
    archive: 'without a CSV',
    name: zipName,
  });
  add('binary garbage named .zip', garbage, { archive: 'damaged', name: zipName });
  return out;
}
