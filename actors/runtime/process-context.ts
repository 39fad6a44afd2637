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
import { createSource, type Source } from '../../lib/sources/source.js';
import { startDemoPublisher } from '../../lib/demo/publisher.js';
import { PipelineMetrics } from './metrics.js';
import { processTempDir, removeStaleTempFiles, type RemovedTempFiles } from '../../lib/ingest/temp-dirs.js';
import { openAccountsDb, type AccountsDb } from '../../lib/accounts/database.js';
import { migrateAccounts } from '../../lib/accounts/migrations.js';
import { logNatsStatus } from './nats-status-log.js';
import { closeNats } from './close-nats.js';

/** JSON lines like the broker's, for the parts that run outside Moleculer services. */
function jsonLogger(mod: string) {
  const write = (level: string) => (details: object, message?: string) => {
    process.stdout.write(
      `${JSON.stringify({ time: new Date().toISOString(), level, message: message ?? '', mod, ...details })}\n`,
    );
  };
  return { info: write('info'), warn: write('warn') };
}

/**
 * What the actors of one process share: one NATS connection, one ClickHouse handle (chdb allows only
 * one per data directory and process), one file store. Each is opened on first use, so a process that
 * runs only parsers never opens ClickHouse.
 */
export class ProcessContext {
  private natsConnection: Promise<NatsConnection> | null = null;
  private clickhouseHandle: Promise<ClickHouse> | null = null;
  private store: Promise<FileStore> | null = null;
  private fileSource: Promise<Source> | null = null;
  private demo: Promise<{ url: string; close(): Promise<void> }> | null = null;
  private accounts: Promise<AccountsDb> | null = null;

  private staleTempFiles: Promise<RemovedTempFiles> | null = null;

  readonly metrics = new PipelineMetrics();
  /** This process's own directory for temporary files, so that no other process removes them. */
  readonly tmpDir: string;

  constructor(readonly config: Config) {
    this.tmpDir = processTempDir(path.join(config.dataDir, 'tmp'));
  }

  /** Removes, once per process, the temporary files crashed processes left (never a live one's). */
  removeStaleTempFiles(): Promise<RemovedTempFiles> {
    this.staleTempFiles ??= removeStaleTempFiles(path.dirname(this.tmpDir)).then((removed) => {
      if (removed.entries.length > 0)
        jsonLogger('tmp').warn({
          event: 'temp_files_removed',
          entries: removed.entries,
          bytes: removed.bytes,
        });
      return removed;
    });
    return this.staleTempFiles;
  }

  get schema(): SchemaOptions {
    return { database: this.config.clickhouse.database, cluster: this.config.clickhouse.cluster };
  }

  nats(): Promise<NatsConnection> {
    this.natsConnection ??= (async () => {
      const nc = await connect({
        servers: this.config.natsUrl,
        name: 'energylive',
        maxReconnectAttempts: -1,
      });
      logNatsStatus(nc, 'process', jsonLogger('nats'));
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

  /** PostgreSQL of accounts and billing; embedded PGlite also allows only one process per directory. */
  accountsDb(): Promise<AccountsDb> {
    this.accounts ??= (async () => {
      const db = await openAccountsDb({
        url: this.config.accounts.databaseUrl,
        embeddedPath: path.join(this.config.dataDir, 'accounts'),
      });
      await migrateAccounts(db);
      return db;
    })();
    return this.accounts;
  }

  fileStore(): Promise<FileStore> {
    this.store ??= (async () => {
      const bucket = this.config.objectStore.gcsBucket;
      if (bucket) return openGcsFileStore(bucket);
      return openNatsFileStore(await this.nats(), BUCKETS.files);
    })();
    return this.store;
  }

  /** Where parsers read files from; with no credentials, the demo publisher's local FTP server. */
  source(): Promise<Source> {
    this.fileSource ??= (async () => {
      const configured = this.config.source;
      const downloads = { ftp: { tmpDir: this.tmpDir }, fms: { tmpDir: this.tmpDir } };
      if (configured.kind !== 'demo') return createSource(configured, downloads);
      this.demo ??= startDemoPublisher({
        dir: path.join(this.config.dataDir, 'demo'),
        port: this.config.demo.ftpPort,
        stepMs: this.config.demo.stepMs,
        months: this.config.demo.months,
        logger: jsonLogger('demo'),
      });
      const demo = await this.demo;
      return createSource({ kind: 'ftp', url: `${demo.url}/TP_export` }, downloads);
    })();
    return this.fileSource;
  }

  /** How often parsers look for new files: the demo grows every step, a real source every poll interval. */
  get pollIntervalMs(): number {
    return this.config.source.kind === 'demo'
      ? Math.min(this.config.pollIntervalMs, this.config.demo.stepMs)
      : this.config.pollIntervalMs;
  }

  async close(): Promise<void> {
    const [nc, ch, source, demo, accounts] = await Promise.all([
      this.natsConnection,
      this.clickhouseHandle,
      this.fileSource,
      this.demo,
      this.accounts,
    ]);
    await accounts?.close();
    await source?.close();
    await demo?.close();
    await ch?.close();
    if (nc) await closeNats(nc);
    await fs.promises.rm(this.tmpDir, { recursive: true, force: true });
  }
}
