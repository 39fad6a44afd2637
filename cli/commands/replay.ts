import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { DATASET_NAMES, type Config, type DatasetName } from '../../lib/config/env.js';
import type { FileReady } from '../../lib/pipeline/messages.js';
import { STREAMS, subjects } from '../../lib/pipeline/subjects.js';
import { Progress } from '../progress.js';
import { UsageError } from '../usage-error.js';
import { connectNats } from './nats.js';
import { ImportWaiter } from './wait-import.js';

/**
 * `energylive replay --dataset <d> --month YYYY-MM`: publishes the month's latest "file ready" message
 * again, marked as a replay so the importer imports it even though the content is known, and waits for
 * the import. Importing is idempotent, so a replay never duplicates rows.
 */
export async function runReplay(args: string[], config: Config): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      dataset: { type: 'string' },
      month: { type: 'string' },
      timeout: { type: 'string', default: '600' },
    },
  });
  const dataset = values.dataset;
  if (!dataset || !(DATASET_NAMES as readonly string[]).includes(dataset)) {
    throw new UsageError(`--dataset must be one of ${DATASET_NAMES.join(', ')}`);
  }
  const month = values.month;
  if (!month || !/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) throw new UsageError('--month must be YYYY-MM');
  const d = dataset as DatasetName;
  const nc = await connectNats(config);
  const progress = new Progress();
  try {
    const jsm = await nc.jetstreamManager();
    let original: FileReady;
    try {
      const last = await jsm.streams.getMessage(STREAMS.files, {
        last_by_subj: subjects.fileReady(d, month),
      });
      original = last.json<FileReady>();
    } catch {
      progress.done(`no ${d} file for ${month} is retained in JetStream; ingest it first`);
      return 1;
    }
    const replay = randomUUID();
    const message: FileReady = { ...original, replay };
    const waiter = new ImportWaiter(nc, d, month);
    await nc
      .jetstream()
      .publish(subjects.fileReady(d, month), new TextEncoder().encode(JSON.stringify(message)), {
        msgID: `${d}.${month}.${original.sha256}.replay.${replay}`,
      });
    const started = Date.now();
    const ticker = setInterval(() => {
      progress.update(
        `replaying ${d} ${month} (${original.rows} rows from ${original.source.name}): ${((Date.now() - started) / 1000).toFixed(0)} s`,
      );
    }, 500);
    const events = await waiter.wait((e) => e.replay === replay, Number(values.timeout) * 1000, false);
    clearInterval(ticker);
    if (!events) {
      progress.done(
        `replay of ${d} ${month} published, but no import finished within ${values.timeout} s (is an importer running?)`,
      );
      return 1;
    }
    const changed = events.reduce((n, e) => n + e.changedPoints, 0);
    const what = events[0]?.status === 'imported' ? `${changed} values changed` : 'no value changed';
    progress.done(`replayed ${d} ${month}: ${events[0]?.monthRows ?? 0} rows stored, ${what}`);
    return 0;
  } finally {
    await nc.drain();
  }
}
