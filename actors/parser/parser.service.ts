import type { Service, ServiceSchema } from 'moleculer';
import type { DatasetName } from '../../lib/config/env.js';
import { openKvSeenStore } from '../../lib/nats/kv-seen-store.js';
import { deadLetterUnreadable, publishFile } from '../../lib/pipeline/publish-file.js';
import { BUCKETS } from '../../lib/pipeline/subjects.js';
import { SourcePoller, type PollResult } from '../../lib/sources/poller.js';
import type { RemoteFile, Source } from '../../lib/sources/source.js';
import type { ProcessContext } from '../runtime/process-context.js';

interface ParserState {
  poller?: SourcePoller;
}

const fileRef = (file: RemoteFile, from: Source) => ({
  kind: from.kind,
  name: file.name,
  key: file.key,
  version: file.version,
});

/**
 * Parser actor of one dataset: polls the source for new or changed files of its dataset, parses each
 * while it streams in, stores the canonical file and publishes "file ready" (or a dead letter).
 */
export function parserService(ctx: ProcessContext, dataset: DatasetName): ServiceSchema {
  const state: ParserState = {};
  return {
    name: `parser-${dataset}`,
    actions: {
      /** Polls the source now; for operators and tests. */
      poll: {
        async handler(): Promise<PollResult> {
          if (!state.poller) throw new Error('the parser is not started');
          return state.poller.pollOnce();
        },
      },
    },
    async started(this: Service) {
      const [nc, store, source] = await Promise.all([ctx.nats(), ctx.fileStore(), ctx.source()]);
      const seen = await openKvSeenStore(nc, BUCKETS.sources, dataset);
      const logger = this.logger;
      const log =
        (level: 'info' | 'warn' | 'error') => (message: string, details?: Record<string, unknown>) => {
          logger[level]({ event: message, dataset, ...details });
        };
      state.poller = new SourcePoller({
        source,
        seen,
        datasets: [dataset],
        intervalMs: ctx.pollIntervalMs,
        logger: { info: log('info'), warn: log('warn'), error: log('error') },
        onRejected: async (file: RemoteFile, from: Source, err: unknown) => {
          // A file that can never be read (a ZIP without a CSV, a broken archive): dead-lettered once.
          const message = err instanceof Error ? err.message : String(err);
          await deadLetterUnreadable(nc.jetstream(), fileRef(file, from), dataset, message);
          ctx.metrics.files.inc({ dataset, outcome: 'dead_lettered' });
          logger.warn({
            event: 'file_dead_lettered',
            dataset,
            file: file.name,
            reason: 'unreadable',
            message,
          });
        },
        onFile: async (file: RemoteFile, from: Source) => {
          const started = Date.now();
          const ref = fileRef(file, from);
          const input = await from.open(file);
          const outcome = await publishFile(input, ref, {
            js: nc.jetstream(),
            store,
            tmpDir: ctx.tmpDir,
            expectDataset: dataset,
          });
          const metrics = ctx.metrics;
          metrics.parseSeconds.observe({ dataset }, (Date.now() - started) / 1000);
          if (outcome.status === 'published') {
            const m = outcome.message;
            metrics.files.inc({ dataset, outcome: outcome.duplicate ? 'duplicate' : 'published' });
            metrics.rows.inc({ dataset }, m.rows);
            for (const [reason, n] of Object.entries(m.rejected))
              metrics.rejectedRows.inc({ dataset, reason }, n);
            logger.info({
              event: 'file_ready',
              dataset,
              month: m.month,
              file: file.name,
              rows: m.rows,
              rejected: m.rejected,
              layout: m.layout,
              duplicate: outcome.duplicate,
              parseMs: outcome.parseMs,
              storeMs: outcome.storeMs,
              ms: Date.now() - started,
            });
          } else if (outcome.status === 'rejected') {
            metrics.files.inc({ dataset, outcome: 'dead_lettered' });
            logger.warn({
              event: 'file_dead_lettered',
              dataset,
              file: file.name,
              reason: outcome.deadLetter.reason,
              message: outcome.deadLetter.message,
            });
          } else {
            metrics.files.inc({ dataset, outcome: 'empty' });
            logger.info({ event: 'file_empty', dataset, file: file.name, month: outcome.month });
          }
        },
      });
      state.poller.start();
    },
    async stopped() {
      await state.poller?.stop();
    },
  };
}
