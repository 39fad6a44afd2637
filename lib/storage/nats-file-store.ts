import fs from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { NatsConnection, ObjectStore } from 'nats';
import type { FileStore } from './file-store.js';

export async function openNatsFileStore(nc: NatsConnection, bucket: string): Promise<FileStore> {
  const os: ObjectStore = await nc.jetstream().views.os(bucket);
  return {
    kind: 'nats',
    bucket,
    async put(name, localPath) {
      const existing = await os.info(name);
      if (existing && !existing.deleted) return { store: 'nats', bucket, name, bytes: existing.size };
      const info = await os.put(
        { name },
        Readable.toWeb(fs.createReadStream(localPath)) as ReadableStream<Uint8Array>,
      );
      return { store: 'nats', bucket, name, bytes: info.size };
    },
    async exists(name) {
      const info = await os.info(name);
      return info !== null && !info.deleted;
    },
    async download(name, localPath) {
      const result = await os.get(name);
      if (!result) throw new Error(`object ${bucket}/${name} not found`);
      await pipeline(Readable.fromWeb(result.data), fs.createWriteStream(localPath));
      // The digest check runs as the stream ends; a corrupt object rejects here.
      await result.error.then((err) => {
        if (err) throw err;
      });
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
