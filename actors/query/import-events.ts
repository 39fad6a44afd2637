import type { NatsConnection } from 'nats';
import { DATASET_NAMES, type DatasetName } from '../../lib/config/env.js';
import { STREAMS, subjects } from '../../lib/pipeline/subjects.js';

export interface ImportEventHandlers {
  /** An "import done" of the dataset was published: its data changed. */
  changed(dataset: DatasetName): void;
  /** No more events will come (the consumer failed): what was learnt from them can no longer be trusted. */
  lost(error: unknown): void;
}

export interface ImportEvents {
  close(): Promise<void>;
}

/** `energylive.imports.<dataset>.<YYYY-MM>` → the dataset; null for a subject of another shape. */
function datasetOf(subject: string): DatasetName | null {
  const name = subject.split('.')[2];
  return (DATASET_NAMES as readonly string[]).includes(name ?? '') ? (name as DatasetName) : null;
}

/**
 * Follows every "import done" published from now on, with an ordered consumer of its own (every query
 * actor must see every event; after a reconnection it resumes where it was). The subject says the
 * dataset, so even a message it could not read tells what changed.
 */
export async function followImportEvents(
  nc: NatsConnection,
  handlers: ImportEventHandlers,
): Promise<ImportEvents> {
  const jsm = await nc.jetstreamManager();
  const { state } = await jsm.streams.info(STREAMS.imports);
  const consumer = await nc.jetstream().consumers.get(STREAMS.imports, {
    filterSubjects: subjects.importDoneAll,
    opt_start_seq: state.last_seq + 1,
  });
  const messages = await consumer.consume({ max_messages: 64 });
  // An object, not a variable: the loop reads what `close` sets later.
  const life = { closed: false };
  const running = (async () => {
    try {
      for await (const m of messages) {
        const dataset = datasetOf(m.subject);
        if (dataset) handlers.changed(dataset);
        else for (const d of DATASET_NAMES) handlers.changed(d);
      }
      if (!life.closed) handlers.lost(new Error('the import events ended'));
    } catch (err) {
      if (!life.closed) handlers.lost(err);
    }
  })();
  return {
    async close() {
      life.closed = true;
      await messages.close().catch(() => undefined);
      await running;
      await consumer.delete().catch(() => undefined);
    },
  };
}
