import type { JetStreamClient } from 'nats';
import type { FileStore } from '../storage/file-store.js';
import type { FileReady } from './messages.js';
import { STREAMS, subjects } from './subjects.js';
import type { DatasetName } from '../config/env.js';

/**
 * Deletes the stored files of a month that no retained "file ready" message points at any more.
 * JetStream keeps the last few versions of each month (max_msgs_per_subject); their files stay for
 * replays, older ones would only fill the store, as a growing month is republished all day.
 */
export async function pruneMonthFiles(
  js: JetStreamClient,
  store: FileStore,
  dataset: DatasetName,
  month: string,
): Promise<string[]> {
  const consumer = await js.consumers.get(STREAMS.files, {
    filterSubjects: subjects.fileReady(dataset, month),
  });
  const info = await consumer.info(true);
  const retained = new Set<string>();
  if (info.num_pending > 0) {
    const messages = await consumer.fetch({ max_messages: info.num_pending, expires: 2000 });
    for await (const m of messages) {
      retained.add(m.json<FileReady>().object.name);
      if (m.info.pending === 0) break;
    }
  }
  await consumer.delete();
  const prefix = `${dataset}/${month}/`;
  const deleted: string[] = [];
  for (const name of await store.list(prefix)) {
    if (retained.has(name)) continue;
    await store.delete(name);
    deleted.push(name);
  }
  return deleted;
}
