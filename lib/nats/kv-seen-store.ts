import { createHash } from 'node:crypto';
import type { KV, NatsConnection } from 'nats';
import type { SeenStore } from '../sources/poller.js';

/**
 * The versions of source files already handled, in a JetStream key-value bucket, so a restarted parser
 * does not import every file again and two parser replicas agree on what is done. Keys are digests:
 * source paths hold characters KV keys do not allow.
 */
export async function openKvSeenStore(nc: NatsConnection, bucket: string, scope: string): Promise<SeenStore> {
  const kv: KV = await nc.jetstream().views.kv(bucket);
  const key = (k: string) => `${scope}.${createHash('sha256').update(k).digest('hex')}`;
  return {
    async get(k) {
      const entry = await kv.get(key(k));
      return entry && entry.operation === 'PUT' ? entry.string() : undefined;
    },
    async set(k, version) {
      await kv.put(key(k), version);
    },
  };
}
