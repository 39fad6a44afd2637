import type { JetStreamClient, JsMsg } from 'nats';

/** Messages fetched at a time: an "import done" can be 1 MiB, and every replaying session fetches its own. */
const BATCH = 8;
/** How long a fetch waits for messages the stream counted but that may have aged out meanwhile. */
const FETCH_EXPIRES_MS = 2_000;

/**
 * The retained messages of `filter` with a stream sequence in (after, until], in order. Each batch is
 * read to its end before any message is handed out: a fetch that times out while its caller is busy
 * would otherwise lose the messages it already took from the consumer.
 */
export async function* retainedMessages(
  js: JetStreamClient,
  stream: string,
  filter: string,
  after: number,
  until: number,
): AsyncGenerator<JsMsg> {
  if (until <= after) return;
  const consumer = await js.consumers.get(stream, { filterSubjects: filter, opt_start_seq: after + 1 });
  try {
    let pending = (await consumer.info(true)).num_pending;
    while (pending > 0) {
      const batch: JsMsg[] = [];
      const fetched = await consumer.fetch({
        max_messages: Math.min(pending, BATCH),
        expires: FETCH_EXPIRES_MS,
      });
      for await (const m of fetched) batch.push(m);
      const last = batch.at(-1);
      if (!last) return;
      for (const m of batch) {
        if (m.seq > until) return;
        yield m;
        if (m.seq === until) return;
      }
      pending = last.info.pending;
    }
  } finally {
    // Ordered consumers are ephemeral, but would otherwise linger on the server until they time out.
    await consumer.delete().catch(() => undefined);
  }
}
