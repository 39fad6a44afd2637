import { connect, type NatsConnection } from 'nats';
import type { Config } from '../../lib/config/env.js';
import { applyDefinitions } from '../../lib/nats/definitions.js';
import { UsageError } from '../usage-error.js';

/** Connects the CLI to NATS, with an operator-friendly error when nothing answers. */
export async function connectNats(config: Config): Promise<NatsConnection> {
  try {
    const nc = await connect({ servers: config.natsUrl, name: 'energylive-cli', timeout: 5000 });
    await applyDefinitions(nc);
    return nc;
  } catch (err) {
    throw new UsageError(
      `cannot reach NATS at ${config.natsUrl} (${(err as Error).message}); set NATS_URL or start nats-server`,
    );
  }
}
