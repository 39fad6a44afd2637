import type { JsMsg, NatsConnection } from 'nats';
import { DATASET_NAMES, type DatasetName } from '../../lib/config/env.js';
import type { DeadLetter, ImportDone } from '../../lib/pipeline/messages.js';
import { STREAMS, subjects } from '../../lib/pipeline/subjects.js';

/** A month whose import went to the dead letters and has not been imported since. */
export interface DeadLetteredMonth {
  dataset: DatasetName;
  month: string;
  reason: string;
  error: string;
  at: string;
}

const BATCH = 256;

/** What a dead letter of the importer names: ours carry a DeadLetter, older ones the file-ready message. */
function monthOf(m: JsMsg): DeadLetteredMonth | null {
  let body: Partial<DeadLetter> & { replay?: string };
  try {
    body = m.json<Partial<DeadLetter>>();
  } catch {
    return null;
  }
  const dataset = body.dataset;
  const month = body.month;
  if (!dataset || !(DATASET_NAMES as readonly string[]).includes(dataset)) return null;
  if (typeof month !== 'string' || !/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) return null;
  // @moleculer/channels dead-lettered the message itself when its retries ran out, with no reason.
  const fromChannels = m.headers?.get('x-original-channel');
  return {
    dataset,
    month,
    reason: body.reason ?? (fromChannels ? 'retries exhausted' : 'unknown'),
    error: body.message ?? '',
    at: new Date(m.info.timestampNanos / 1e6).toISOString(),
  };
}

/**
 * The months whose latest importer dead letter is newer than their latest "import done": what
 * `energylive replay --dead-lettered` imports again, and what `energylive status` says waits for it.
 */
export async function deadLetteredMonths(nc: NatsConnection): Promise<DeadLetteredMonth[]> {
  const js = nc.jetstream();
  const jsm = await nc.jetstreamManager();
  const latest = new Map<string, DeadLetteredMonth>();
  const consumer = await js.consumers.get(STREAMS.deadLetter, {
    filterSubjects: subjects.deadLetter('importer'),
  });
  try {
    let pending = (await consumer.info(true)).num_pending;
    while (pending > 0) {
      const fetched = await consumer.fetch({ max_messages: Math.min(pending, BATCH), expires: 2000 });
      let last: JsMsg | undefined;
      for await (const m of fetched) {
        last = m;
        const dead = monthOf(m);
        if (dead) latest.set(`${dead.dataset} ${dead.month}`, dead);
      }
      if (!last) break;
      pending = last.info.pending;
    }
  } finally {
    await consumer.delete().catch(() => undefined);
  }
  const waiting: DeadLetteredMonth[] = [];
  for (const dead of latest.values()) {
    const done = await jsm.streams
      .getMessage(STREAMS.imports, { last_by_subj: subjects.importDone(dead.dataset, dead.month) })
      .then((m) => m.json<ImportDone>())
      .catch(() => null);
    if (done === null || done.importedAt < dead.at) waiting.push(dead);
  }
  return waiting.sort((a, b) => a.dataset.localeCompare(b.dataset) || a.month.localeCompare(b.month));
}
