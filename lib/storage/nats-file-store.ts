import type { NatsConnection, ObjectStore } from 'nats';
import type { FileStore } from './file-store.js';
import { getObjectFile, putObjectFile } from './object-store-transfer.js';

export async function openNatsFileStore(nc: NatsConnection, bucket: string): Promise<FileStore> {
  const js = nc.jetstream();
  const os: ObjectStore = await js.views.os(bucket);
  return {
    kind: 'nats',
    bucket,
    async put(name, localPath) {
      const existing = await os.info(name);
      if (existing && !existing.deleted) return { store: 'nats', bucket, name, bytes: existing.size };
      const bytes = await putObjectFile(js, bucket, name, localPath);
      return { store: 'nats', bucket, name, bytes };
    },
    async exists(name) {
      const info = await os.info(name);
      return info !== null && !info.deleted;
    },
    async download(name, localPath) {
      const info = await os.info(name);
      if (!info || info.deleted) throw new Error(`object ${bucket}/${name} not found`);
      await getObjectFile(js, info, localPath);
    },
    async delete(name) {
      await os.delete(name);
    },
    async list(prefix) {
      const entries = await os.list();
      return entries.filter((e) => !e.deleted && e.name.startsWith(prefix)).map((e) => e.name);
    },
  };
}
