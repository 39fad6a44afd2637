import fs from 'node:fs';
import path from 'node:path';
import { connect, type NatsConnection } from 'nats';
import type { Config } from '../../lib/config/env.js';
import { openClickHouse, type ClickHouse } from '../../lib/clickhouse/connection.js';
import { migrate, type SchemaOptions } from '../../lib/clickhouse/schema.js';
import { applyDefinitions } from '../../lib/nats/definitions.js';
import { BUCKETS } from '../../lib/pipeline/subjects.js';
import type { FileStore } from '../../lib/storage/file-store.js';
import { openGcsFileStore } from '../../lib/storage/gcs-file-store.js';
import { openNatsFileStore } from '../../lib/storage/nats-file-store.js';

/**
 * What the actors of one process share: one NATS connection, one ClickHouse handle (chdb allows only
 * one per data directory and process), one file store. Each is opened on first use, so a process that
 * runs only parsers never opens ClickHouse.
 */
export class ProcessContext {
  private natsConnection: Promise<NatsConnection> | null = null;
  private clickhouseHandle: Promise<ClickHouse> | null = null;
  private store: Promise<FileStore> | null = null;

  constructor(readonly config: Config) {}

  get tmpDir(): string {
    return path.join(this.config.dataDir, 'tmp');
  }

  get schema(): SchemaOptions {
    return { database: this.config.clickhouse.database, cluster: this.config.clickhouse.cluster };
  }

  nats(): Promise<NatsConnection> {
    this.natsConnection ??= (async () => {
      const nc = await connect({ servers: this.config.natsUrl, name: 'energylive', maxReconnectAttempts: -1 });
      await applyDefinitions(nc);
      return nc;
    })();
    return this.natsConnection;
  }

  clickhouse(): Promise<ClickHouse> {
    this.clickhouseHandle ??= (async () => {
      const ch = openClickHouse({
        url: this.config.clickhouse.url,
        database: this.config.clickhouse.database,
        embeddedPath: path.join(this.config.dataDir, 'clickhouse'),
      });
      await migrate(ch, this.schema);
      return ch;
    })();
    return this.clickhouseHandle;
  }

  fileStore(): Promise<FileStore> {
    this.store ??= (async () => {
      const bucket = this.config.objectStore.gcsBucket;
      if (bucket) return openGcsFileStore(bucket);
      return openNatsFileStore(await this.nats(), BUCKETS.files);
    })();
    return this.store;
  }

  async close(): Promise<void> {
    const [nc, ch] = await Promise.all([this.natsConnection, this.clickhouseHandle]);
    await ch?.close();
    if (nc && !nc.isClosed()) await nc.drain();
    await fs.promises.rm(this.tmpDir, { recursive: true, force: true });
  }
}
