import type { NatsConnection } from 'nats';

/** What a drain may take: it flushes what is still to be sent, which a reachable server takes at once. */
const DRAIN_MS = 5_000;
/** A server that does not answer a PING within this is treated as gone. */
const PING_MS = 1_000;

/** Whether `work` succeeded within `ms`; one that fails or is still running counts as not. */
function within(work: Promise<unknown>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      resolve(false);
    }, ms);
    work.then(
      () => {
        clearTimeout(timer);
        resolve(true);
      },
      () => {
        clearTimeout(timer);
        resolve(false);
      },
    );
  });
}

/**
 * Closes a NATS connection as well as the server allows: drained (pending messages flushed, subscriptions
 * ended) when the server answers, closed outright when it does not. `drain()` on a connection that is
 * reconnecting waits for the server to come back, however long that takes.
 */
export async function closeNats(nc: NatsConnection): Promise<void> {
  if (nc.isClosed()) return;
  if ((await within(nc.rtt(), PING_MS)) && (await within(nc.drain(), DRAIN_MS))) return;
  if (!nc.isClosed()) await nc.close();
}
