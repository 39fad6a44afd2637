import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import yazl from 'yazl';
import type { DatasetName } from '../config/env.js';
import { DATASETS } from '../entsoe/datasets.js';

/** Area columns of one legacy row, per dataset, in header order after DateTime and ResolutionCode. */
const ROW_TAIL: Record<DatasetName, (i: number) => string[]> = {
  load: (i) => ['10YAT-APG------L', 'CTY', 'AT CTY', 'AT', `${6000 + i}.00`],
  generation: (i) => ['10YAT-APG------L', 'CTY', 'AT CTY', 'AT', 'Fossil Gas', `${500 + i}.00`, ''],
  flows: (i) => [
    '10YAT-APG------L',
    'CTY',
    'AT CTY',
    'AT',
    '10YCZ-CEPS-----N',
    'CTY',
    'CZ CTY',
    'CZ',
    `${100 + i}.00`,
  ],
};

/** A small file in the ENTSO-E legacy layout (course style: tab-separated, LF, no BOM). */
export function legacyCsv(dataset: DatasetName, rows: number, month = '2022-01'): string {
  const lines = [DATASETS[dataset].legacyHeader.join('\t')];
  for (let i = 0; i < rows; i++) {
    const minutes = i * 15;
    const time = `${String(Math.floor(minutes / 60) % 24).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}:00`;
    lines.push(
      [`${month}-01 ${time}.000`, 'PT15M', ...ROW_TAIL[dataset](i), `${month}-02 10:00:00`].join('\t'),
    );
  }
  return `${lines.join('\n')}\n`;
}

export interface TempDir {
  path: string;
  remove: () => Promise<void>;
}

export async function makeTempDir(prefix: string): Promise<TempDir> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `energylive-${prefix}-`));
  return { path: dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** Reads a whole stream as UTF-8 text. */
export async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return Buffer.concat(chunks).toString('utf8');
}

/** A ZIP archive holding `entries` in order, as bytes; `compress: false` stores them as they are. */
export async function zipOf(
  entries: readonly (readonly [string, string])[],
  options: { compress?: boolean } = {},
): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const [name, content] of entries) zip.addBuffer(Buffer.from(content), name, options);
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}
