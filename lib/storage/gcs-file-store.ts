import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { Storage, type StorageOptions } from '@google-cloud/storage';
import type { FileStore } from './file-store.js';

/**
 * Google Cloud Storage. Credentials come the usual Google way (GOOGLE_APPLICATION_CREDENTIALS or workload
 * identity); `apiEndpoint` points the client at another server speaking the same JSON API.
 */
export function openGcsFileStore(bucketName: string, options: StorageOptions = {}): FileStore {
  const bucket = new Storage(options).bucket(bucketName);
  return {
    kind: 'gcs',
    bucket: bucketName,
    async put(name, localPath) {
      const file = bucket.file(name);
      const [exists] = await file.exists();
      if (!exists)
        await bucket.upload(localPath, {
          destination: name,
          resumable: false,
          contentType: 'application/gzip',
        });
      const [metadata] = await file.getMetadata();
      return { store: 'gcs', bucket: bucketName, name, bytes: Number(metadata.size ?? 0) };
    },
    async exists(name) {
      const [exists] = await bucket.file(name).exists();
      return exists;
    },
    async download(name, localPath) {
      // Not file.download({ destination }): when the transfer or its crc32c check fails, that leaves its
      // write stream open, one leaked descriptor per failed download. pipeline() closes both ends.
      await pipeline(
        bucket.file(name).createReadStream({ validation: 'crc32c' }),
        fs.createWriteStream(localPath),
      );
    },
    async delete(name) {
      await bucket.file(name).delete({ ignoreNotFound: true });
    },
    async list(prefix) {
      const [files] = await bucket.getFiles({ prefix });
      return files.map((f) => f.name);
    },
  };
}
