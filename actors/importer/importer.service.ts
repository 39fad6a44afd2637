import type { JsMsg } from 'nats';
import type { Service, ServiceSchema } from 'moleculer';
import type { DatasetName } from '../../lib/config/env.js';
import { dropLeftoverStaging } from '../../lib/clickhouse/staging-tables.js';
import { STREAMS, importerConsumer, subjects } from '../../lib/pipeline/subjects.js';
import type { ProcessContext } from '../runtime/process-context.js';
import { importFileReady } from './file-ready-import.js';
import { announceFailure, applyVerdict, errorText, failedImport, type Verdict } from './import-retries.js';

/**
 * How often the importer tells JetStream a message is still being worked on, as a share of the
 * consumer's ack wait: three heartbeats per ack wait keep a long import from being redelivered
 * meanwhile, and let a short ack wait bring a killed importer's message back within seconds.
 */
const HEARTBEATS_PER_ACK_WAIT = 3;

/**
 * Importer actor of one dataset: the durable JetStream consumer `importer-<dataset>` (nats/consumers.json)
 * feeds it "file ready" messages one at a time; each is imported into ClickHouse and acknowledged after
 * its "import done" events are published. A failure is announced, retried after increasing waits, and
 * finally dead-lettered with its error.
 */
export function importerService(ctx: ProcessContext, dataset: DatasetName): ServiceSchema {
  let heartbeatMs = 1000;
  /** Deliveries being imported, by stream sequence: a redelivery that overtakes its import joins it. */
  const running = new Map<number, Promise<Verdict>>();

  async function attempt(service: Service, payload: unknown, raw: JsMsg): Promise<Verdict> {
    const started = Date.now();
    const delivery = raw.info.deliveryCount;
    const m = payload as { month?: unknown; sha256?: unknown } | null;
    const retryDelaysMs = ctx.config.importRetryDelaysMs;
    const nc = await ctx.nats();
    try {
      if (delivery > retryDelaysMs.length + 1) {
        // Every earlier delivery ended without an answer: the process died each time (out of memory?).
        // Trying once more would only kill the next importer as well.
        throw new Error(
          `delivered ${delivery} times without finishing: each importer stopped while importing it`,
        );
      }
      service.logger.info({ event: 'import_started', dataset, month: m?.month, sha256: m?.sha256, delivery });
      const [ch, store] = await Promise.all([ctx.clickhouse(), ctx.fileStore()]);
      const { events, timings, unusable } = await importFileReady(payload, dataset, {
        ch,
        schema: ctx.schema,
        store,
        js: nc.jetstream(),
        tmpDir: ctx.tmpDir,
        messageSeq: raw.seq,
      });
      if (unusable !== undefined) {
        const attempts = retryDelaysMs.length + 1;
        await announceFailure(
          { js: nc.jetstream(), dataset, payload, attempt: delivery, seq: raw.seq, error: unusable },
          attempts,
          null,
        );
      }
      const first = events[0];
      const changedPoints = events.reduce((n, e) => n + e.changedPoints, 0);
      ctx.metrics.imports.inc({ dataset, outcome: first?.status ?? 'dead_lettered' });
      ctx.metrics.changedPoints.inc({ dataset }, changedPoints);
      ctx.metrics.importSeconds.observe({ dataset }, (Date.now() - started) / 1000);
      service.logger.info({
        event: first ? 'import_done' : 'import_dead_lettered',
        dataset,
        month: first?.month,
        status: first?.status,
        changedPoints,
        ranges: events.reduce((n, e) => n + e.changes.length, 0),
        monthRows: first?.monthRows,
        ms: Date.now() - started,
        timings,
        delivery,
      });
      return { kind: 'ack' };
    } catch (err) {
      const error = errorText(err);
      ctx.metrics.imports.inc({ dataset, outcome: 'failed' });
      let verdict: Verdict;
      try {
        verdict = await failedImport({
          js: nc.jetstream(),
          dataset,
          payload,
          attempt: delivery,
          seq: raw.seq,
          error,
          retryDelaysMs,
        });
      } catch (deadLetterError) {
        // The dead letter could not be written (NATS away): keep the message rather than lose it.
        service.logger.error({ event: 'dead_letter_failed', dataset, error: errorText(deadLetterError) });
        verdict = { kind: 'retry', delayMs: retryDelaysMs[retryDelaysMs.length - 1] ?? 60_000 };
      }
      service.logger.warn({
        event: 'import_failed',
        dataset,
        month: m?.month,
        error,
        delivery,
        ...(verdict.kind === 'retry' ? { retryInSeconds: verdict.delayMs / 1000 } : { deadLettered: true }),
      });
      return verdict;
    }
  }

  return {
    name: `importer-${dataset}`,
    channels: {
      [subjects.fileReadyAll(dataset)]: {
        group: importerConsumer(dataset),
        maxInFlight: 1,
        async handler(this: Service, payload: unknown, raw: JsMsg) {
          const timer = setInterval(() => {
            raw.working();
          }, heartbeatMs);
          try {
            const earlier = running.get(raw.seq);
            if (earlier) {
              // A heartbeat was lost (NATS away for longer than the ack wait) and JetStream delivered the
              // message again while its import still runs here: answer this delivery as that import ends.
              this.logger.warn({ event: 'import_redelivered_while_running', dataset, seq: raw.seq });
              applyVerdict(raw, await earlier);
              return;
            }
            const verdict = attempt(this, payload, raw);
            running.set(raw.seq, verdict);
            try {
              applyVerdict(raw, await verdict);
            } finally {
              running.delete(raw.seq);
            }
          } finally {
            clearInterval(timer);
          }
        },
      },
    },
    async started(this: Service) {
      const [ch, nc] = await Promise.all([ctx.clickhouse(), ctx.nats()]);
      const consumer = await (
        await nc.jetstreamManager()
      ).consumers.info(STREAMS.files, importerConsumer(dataset));
      const ackWaitMs = (consumer.config.ack_wait ?? 30e9) / 1e6;
      heartbeatMs = Math.max(100, Math.floor(ackWaitMs / HEARTBEATS_PER_ACK_WAIT));
      // Embedded, this process owns the data directory: any staging table is a leftover of a crash.
      const dropped = await dropLeftoverStaging(ch, ctx.schema, ch.kind === 'embedded' ? 0 : 3600);
      if (dropped.length > 0) this.logger.warn({ event: 'staging_dropped', tables: dropped });
      await ctx.removeStaleTempFiles();
    },
  };
}
