import { createWriteStream } from 'node:fs';
import { addAbortSignal, Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { DatasetName } from '../config/env.js';
import { isDataFileName } from './dataset-name.js';
import { FmsClient, type FmsClientTuning, type FmsCredentials } from './fms-client.js';
import type { RemoteFile, Source } from './source.js';
import { createTempFile } from './temp-file.js';
import { openFirstCsvEntry } from './zip.js';

/**
 * Folder name prefixes in `/TP_export/`. The revision suffix (`_r3`, `_r3.1`, …) is matched, not written
 * down: ENTSO-E moves items to new revisions and other items already went from `_r3` to `_r3.1`.
 */
export const FMS_FOLDER_PREFIXES: Readonly<Record<DatasetName, string>> = {
  load: 'ActualTotalLoad_6.1.A_r',
  generation: 'AggregatedGenerationPerType_16.1.B_C_r',
  flows: 'PhysicalFlows_12.1.G_r',
};

const TOP_LEVEL_FOLDER = 'TP_export';
const TOP_PATH = `/${TOP_LEVEL_FOLDER}/`;
const DEFAULT_PAGE_SIZE = 500;

export interface FmsTuning extends FmsClientTuning {
  /** Items per `listFolder` page. */
  pageSize?: number;
  /** Where downloaded ZIPs are staged before they are unpacked. */
  tmpDir?: string;
}

export type FmsSourceOptions = FmsCredentials & FmsTuning;

interface FmsItem {
  name: string;
  type?: unknown;
  size?: unknown;
  lastUpdatedTimestamp?: unknown;
}

interface DatasetFolder {
  dataset: DatasetName;
  /** Folder path with leading and trailing slash, as `listFolder` and `downloadFileContent` want it. */
  path: string;
}

/** The ENTSO-E File Library ("FMS"): the current revision folder of each of our datasets in `/TP_export/`. */
export class FmsSource implements Source {
  readonly kind = 'fms';
  private readonly client: FmsClient;
  private readonly apiUrl: string;
  private readonly username: string;
  private readonly pageSize: number;
  private readonly tmpDir: string | undefined;

  constructor(options: FmsSourceOptions) {
    this.client = new FmsClient(options);
    this.apiUrl = options.apiUrl;
    this.username = options.username;
    this.pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
    this.tmpDir = options.tmpDir;
  }

  describe(): string {
    return `fms ${this.apiUrl} as ${this.username}`;
  }

  async list(signal?: AbortSignal): Promise<RemoteFile[]> {
    const files: RemoteFile[] = [];
    for (const folder of await this.datasetFolders(signal)) {
      const items = await this.listFolder(folder.path, 'periodCovered.from', signal);
      for (const item of items) {
        if (item.type === 'Folder' || !isDataFileName(item.name)) continue;
        if (typeof item.lastUpdatedTimestamp !== 'string') {
          throw new Error(`FMS listFolder ${folder.path}: item ${item.name} has no lastUpdatedTimestamp`);
        }
        files.push({
          key: `${folder.path}${item.name}`,
          name: item.name,
          dataset: folder.dataset,
          size: typeof item.size === 'number' ? item.size : null,
          version: item.lastUpdatedTimestamp,
        });
      }
    }
    return files;
  }

  async open(file: RemoteFile, signal?: AbortSignal): Promise<Readable> {
    const folder = file.key.slice(0, file.key.length - file.name.length);
    if (!folder.startsWith(TOP_PATH) || !file.key.endsWith(`/${file.name}`)) {
      throw new Error(`not an FMS file key: ${file.key}`);
    }
    // yauzl needs random access, and a month of generation is 100+ MB: stage the ZIP on disk, not in memory.
    const temp = await createTempFile(`${file.name}.zip`, this.tmpDir);
    try {
      const res = await this.client.post(
        'downloadFileContent',
        { folder, filename: file.name, downloadAsZip: true, topLevelFolder: TOP_LEVEL_FOLDER },
        signal,
      );
      if (!res.body) throw new Error(`FMS downloadFileContent ${file.key}: empty response`);
      const body = Readable.fromWeb(res.body as WebReadableStream<Uint8Array>);
      await pipeline(body, createWriteStream(temp.path), { signal });
    } catch (err) {
      await temp.remove();
      throw err;
    }
    const stream = await openFirstCsvEntry(temp.path, { label: `FMS ${file.key}`, cleanup: temp.remove });
    return signal ? addAbortSignal(signal, stream) : stream;
  }

  close(): Promise<void> {
    // fetch keeps no connection that needs closing.
    return Promise.resolve();
  }

  /** The newest revision folder of each dataset; throws when none of them is there (wrong account or URL). */
  private async datasetFolders(signal: AbortSignal | undefined): Promise<DatasetFolder[]> {
    const items = await this.listFolder(TOP_PATH, 'name', signal);
    const names = items.filter((i) => i.type !== 'File').map((i) => i.name.replace(/^\/+|\/+$/g, ''));
    const folders: DatasetFolder[] = [];
    for (const [dataset, prefix] of Object.entries(FMS_FOLDER_PREFIXES) as [DatasetName, string][]) {
      const revisions = names.filter((n) => n.toLowerCase().startsWith(prefix.toLowerCase()));
      const newest = revisions.sort((a, b) => a.localeCompare(b, 'en', { numeric: true })).at(-1);
      if (newest !== undefined) folders.push({ dataset, path: `${TOP_PATH}${newest}/` });
    }
    if (folders.length === 0) {
      throw new Error(
        `FMS ${TOP_PATH} has no folder starting with ${Object.values(FMS_FOLDER_PREFIXES).join(', ')}`,
      );
    }
    return folders;
  }

  /** Every item of a folder, page by page until a short or empty page. */
  private async listFolder(
    folderPath: string,
    sortKey: string,
    signal: AbortSignal | undefined,
  ): Promise<FmsItem[]> {
    const items: FmsItem[] = [];
    let previousFirst: string | undefined;
    for (let pageIndex = 0; ; pageIndex++) {
      const reply = await this.client.postJson(
        'listFolder',
        {
          path: folderPath,
          sorterList: [{ key: sortKey, ascending: true }],
          pageInfo: { pageIndex, pageSize: this.pageSize },
        },
        signal,
      );
      const page = parseItems(reply, folderPath);
      // A server that ignored pageIndex would send the same full page forever.
      if (page.length > 0 && page[0]?.name === previousFirst) {
        throw new Error(`FMS listFolder ${folderPath}: page ${pageIndex} repeats the previous page`);
      }
      previousFirst = page[0]?.name;
      items.push(...page);
      if (page.length < this.pageSize) return items;
    }
  }
}

function parseItems(reply: unknown, folderPath: string): FmsItem[] {
  const list = (reply as { contentItemList?: unknown } | null)?.contentItemList;
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) throw new Error(`FMS listFolder ${folderPath}: contentItemList is not a list`);
  return list.filter(
    (item): item is FmsItem =>
      typeof item === 'object' && item !== null && typeof (item as FmsItem).name === 'string',
  );
}
