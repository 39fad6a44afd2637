import type { JsMsg } from 'nats';
import type { Service, ServiceSchema } from 'moleculer';
import type { DatasetName } from '../../lib/config/env.js';
import { dropLeftoverStaging } from '../../lib/clickhouse/staging-tables.js';
import { importerConsumer, subjects } from '../../lib/pipeline/subjects.js';
import type { ProcessContext } from '../runtime/process-context.js';
import { importFileReady } from './file-ready-import.js';

/** Tells JetStream the message is still being worked on, so a long import is not redelivered meanwhile. */
const WORKING_INTERVAL_MS = 20_000;

/**
 * Importer actor of one dataset: the durable JetStream consumer `importer-<dataset>` (nats/consumers.json)
 * feeds it "file ready" messages one at a time; each is imported into ClickHouse and acknowledged after
 * its "import done" events are published. A failure is retried, then dead-lettered.
 */
export function importerService(ctx: ProcessContext, dataset: DatasetName): ServiceSchema {
  return {
    name: `importer-${dataset}`,
    channels: {
      [subjects.fileReadyAll(dataset)]: {
        group: importerConsumer(dataset),
        maxInFlight: 1,
        async handler(this: Service, payload: unknown, raw: JsMsg) {
          const started = Date.now();
          const m = payload as { month?: unknown; sha256?: unknown } | null;
          this.logger.info({
            event: 'import_started',
            dataset,
            month: m?.month,
            sha256: m?.sha256,
            delivery: raw.info.deliveryCount,
          });
          const timer = setInterval(() => {
            raw.working();
          }, WORKING_INTERVAL_MS);
          try {
            const [ch, store, nc] = await Promise.all([ctx.clickhouse(), ctx.fileStore(), ctx.nats()]);
            const { events, timings } = await importFileReady(payload, dataset, {
              ch,
              schema: ctx.schema,
              store,
              js: nc.jetstream(),
              tmpDir: ctx.tmpDir,
            });
            const first = events[0];
            const changedPoints = events.reduce((n, e) => n + e.changedPoints, 0);
            ctx.metrics.imports.inc({ dataset, outcome: first?.status ?? 'dead_lettered' });
            ctx.metrics.changedPoints.inc({ dataset }, changedPoints);
            ctx.metrics.importSeconds.observe({ dataset }, (Date.now() - started) / 1000);
            this.logger.info({
              event: first ? 'import_done' : 'import_dead_lettered',
              dataset,
              month: first?.month,
              status: first?.status,
              changedPoints,
              ranges: events.reduce((n, e) => n + e.changes.length, 0),
              monthRows: first?.monthRows,
              ms: Date.now() - started,
              timings,
              delivery: raw.info.deliveryCount,
            });
          } catch (err) {
            ctx.metrics.imports.inc({ dataset, outcome: 'failed' });
            this.logger.warn({
              event: 'import_failed',
              dataset,
              month: m?.month,
              error: (err as Error).message,
              delivery: raw.info.deliveryCount,
            });
            throw err;
          } finally {
            clearInterval(timer);
          }
        },
      },
    },
    async started() {
      const ch = await ctx.clickhouse();
      // Embedded, this process owns the data directory: any staging table is a leftover of a crash.
      const dropped = await dropLeftoverStaging(ch, ctx.schema, ch.kind === 'embedded' ? 0 : 3600);
      if (dropped.length > 0) this.logger.warn({ event: 'staging_dropped', tables: dropped });
    },
  };
}
