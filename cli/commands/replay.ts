import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import type { NatsConnection } from 'nats';
import { DATASET_NAMES, type Config, type DatasetName } from '../../lib/config/env.js';
import type { FileReady } from '../../lib/pipeline/messages.js';
import { STREAMS, subjects } from '../../lib/pipeline/subjects.js';
import { Progress } from '../progress.js';
import { UsageError } from '../usage-error.js';
import { deadLetteredMonths } from './dead-lettered-months.js';
import { connectNats } from './nats.js';
import { ImportWaiter, describeFailure } from './wait-import.js';

/**
 * Publishes the month's latest "file ready" message again, marked as a replay so the importer imports it
 * even though the content is known, and waits for the import. Importing is idempotent, so a replay never
 * duplicates rows. Returns the line to print and whether the month was imported.
 */
async function replayMonth(
  nc: NatsConnection,
  d: DatasetName,
  month: string,
  timeoutMs: number,
  progress: Progress,
  label: string,
): Promise<{ ok: boolean; text: string }> {
  const jsm = await nc.jetstreamManager();
  let original: FileReady;
  try {
    const last = await jsm.streams.getMessage(STREAMS.files, {
      last_by_subj: subjects.fileReady(d, month),
    });
    original = last.json<FileReady>();
  } catch {
    return { ok: false, text: `${label}no ${d} file for ${month} is retained in JetStream; ingest it first` };
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
  // A dead-lettered message may be one that was never a valid import: read what it names with care.
  const source = (original as Partial<FileReady>).source?.name ?? 'an unnamed file';
  const ticker = setInterval(() => {
    progress.update(
      `${label}replaying ${d} ${month} (${String(original.rows)} rows from ${source}): ${((Date.now() - started) / 1000).toFixed(0)} s`,
    );
  }, 500);
  const outcome = await waiter
    .outcome({ dataset: d, month, sha256: original.sha256, replay }, timeoutMs)
    .finally(() => {
      clearInterval(ticker);
    });
  if (outcome.kind === 'failed')
    return { ok: false, text: `${label}replay of ${d} ${month}: ${describeFailure(outcome.failure)}` };
  if (outcome.kind === 'timeout')
    return {
      ok: false,
      text: `${label}replay of ${d} ${month} published, but no import finished within ${timeoutMs / 1000} s: ${outcome.why}`,
    };
  const events = outcome.events;
  const changed = events.reduce((n, e) => n + e.changedPoints, 0);
  const what = events[0]?.status === 'imported' ? `${changed} values changed` : 'no value changed';
  return {
    ok: true,
    text: `${label}replayed ${d} ${month}: ${events[0]?.monthRows ?? 0} rows stored, ${what}`,
  };
}

/**
 * `energylive replay --dataset <d> --month YYYY-MM`: imports a month again from the latest version JetStream
 * retains. `energylive replay --dead-lettered [--dataset <d>]`: the same for every month whose import went
 * to the dead letters and has not been imported since, once the cause (a full disk…) is fixed.
 */
export async function runReplay(args: string[], config: Config): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      dataset: { type: 'string' },
      month: { type: 'string' },
      'dead-lettered': { type: 'boolean', default: false },
      timeout: { type: 'string', default: '600' },
    },
  });
  const dataset = values.dataset;
  if (dataset !== undefined && !(DATASET_NAMES as readonly string[]).includes(dataset))
    throw new UsageError(`--dataset must be one of ${DATASET_NAMES.join(', ')}`);
  const timeoutMs = Number(values.timeout) * 1000;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0)
    throw new UsageError('--timeout must be a number of seconds');
  const month = values.month;
  if (values['dead-lettered']) {
    if (month !== undefined)
      throw new UsageError('--dead-lettered replays every such month: leave out --month');
  } else {
    if (dataset === undefined) throw new UsageError(`--dataset must be one of ${DATASET_NAMES.join(', ')}`);
    if (!month || !/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) throw new UsageError('--month must be YYYY-MM');
  }
  const nc = await connectNats(config);
  const progress = new Progress();
  try {
    if (!values['dead-lettered']) {
      const result = await replayMonth(nc, dataset as DatasetName, month as string, timeoutMs, progress, '');
      progress.done(result.text);
      return result.ok ? 0 : 1;
    }
    const months = (await deadLetteredMonths(nc)).filter(
      (m) => dataset === undefined || m.dataset === dataset,
    );
    if (months.length === 0) {
      progress.done('no dead-lettered import waits for a replay');
      return 0;
    }
    let failed = 0;
    for (const [i, m] of months.entries()) {
      const result = await replayMonth(
        nc,
        m.dataset,
        m.month,
        timeoutMs,
        progress,
        `[${i + 1}/${months.length}] `,
      );
      if (!result.ok) failed++;
      progress.done(result.text);
    }
    progress.done(
      failed === 0
        ? `replayed ${months.length} dead-lettered month${months.length === 1 ? '' : 's'}`
        : `${failed} of ${months.length} dead-lettered months still fail; see the errors above`,
    );
    return failed === 0 ? 0 : 1;
  } finally {
    await nc.drain();
  }
}
