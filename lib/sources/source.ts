import type { Readable } from 'node:stream';
import type { DatasetName, SourceConfig } from '../config/env.js';
import { FmsSource, type FmsTuning } from './fms-source.js';
import { FolderSource } from './folder-source.js';
import { FtpSource, type FtpSourceOptions } from './ftp-source.js';

export { datasetFromName } from './dataset-name.js';

export interface RemoteFile {
  /** Stable identity of the file at its source, e.g. the path. */
  key: string;
  /** File name, without folders. */
  name: string;
  /** From the folder or file name; null if unknown. */
  dataset: DatasetName | null;
  size: number | null;
  /** Changes whenever the content may have changed: size+mtime for FTP/folder, lastUpdatedTimestamp for FMS. */
  version: string;
}

/** Where the parser gets ENTSO-E files from. */
export interface Source {
  readonly kind: 'folder' | 'ftp' | 'fms';
  /** For logs; never contains a password or token. */
  describe(): string;
  list(signal?: AbortSignal): Promise<RemoteFile[]>;
  /** The file's CSV bytes; a `.zip` (every FMS download, some course files) is unpacked to its first `.csv` entry. */
  open(file: RemoteFile, signal?: AbortSignal): Promise<Readable>;
  close(): Promise<void>;
}

/** Every source kind but `demo`, which the caller turns into `{ kind: 'ftp', url }` for its local server. */
export type FileSourceConfig = Exclude<SourceConfig, { kind: 'demo' }>;

export interface CreateSourceOptions {
  ftp?: FtpSourceOptions;
  fms?: FmsTuning;
}

export function createSource(config: FileSourceConfig, options: CreateSourceOptions = {}): Source {
  switch (config.kind) {
    case 'folder':
      return new FolderSource(config.path);
    case 'ftp':
      return new FtpSource(config.url, options.ftp);
    case 'fms':
      return new FmsSource({
        ...options.fms,
        username: config.username,
        password: config.password,
        apiUrl: config.apiUrl,
        tokenUrl: config.tokenUrl,
      });
  }
}
