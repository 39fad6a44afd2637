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
      await bucket.file(name).download({ destination: localPath, validation: 'crc32c' });
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
