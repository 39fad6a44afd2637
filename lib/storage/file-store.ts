import type { StoredObject } from '../pipeline/messages.js';

/**
 * Object storage for canonical files. JetStream's Object Store by default, so a single NATS deployment
 * carries both the messages and the files they point at; Google Cloud Storage when a bucket is configured.
 */
export interface FileStore {
  readonly kind: StoredObject['store'];
  readonly bucket: string;
  /** Uploads the local file under `name`; a name that exists already is left as is (names are digests). */
  put(name: string, localPath: string): Promise<StoredObject>;
  exists(name: string): Promise<boolean>;
  /** Downloads the object to a local path. */
  download(name: string, localPath: string): Promise<void>;
  delete(name: string): Promise<void>;
  list(prefix: string): Promise<string[]>;
}

/** `load/2022-01/<sha256>.tsv.gz`: one object per distinct content of a dataset's month. */
export function objectName(dataset: string, month: string, sha256: string): string {
  return `${dataset}/${month}/${sha256}.tsv.gz`;
}
