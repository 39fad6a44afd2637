import type { ServiceBroker } from 'moleculer';
import type { NatsConnection } from 'nats';

/** Whether one dependency answers now. Throwing, or taking longer than the limit, counts as "no". */
export type ReadinessCheck = () => boolean | Promise<boolean>;

/** Long enough for a PING across a busy network, short enough for a probe with a few seconds' timeout. */
export const CHECK_TIMEOUT_MS = 1_500;

/**
 * The checks behind `/readyz`, each bounded in time: a dependency that does not answer (a NATS server
 * that hangs, a database behind a dropped network) makes its check fail after `timeoutMs` instead of
 * holding the probe. Probes arriving while a check is still running share it rather than starting
 * another, so a flood of probes costs one round of checks; a check still pending after its limit is
 * given up, and the next probe tries afresh.
 */
export class Readiness {
  private readonly running = new Map<string, Promise<boolean>>();

  constructor(
    private readonly checks: Record<string, ReadinessCheck>,
    private readonly timeoutMs = CHECK_TIMEOUT_MS,
  ) {}

  async run(): Promise<Record<string, boolean>> {
    const names = Object.keys(this.checks);
    const results = await Promise.all(names.map((name) => this.bounded(name)));
    return Object.fromEntries(names.map((name, i) => [name, results[i] === true]));
  }

  private bounded(name: string): Promise<boolean> {
    let pending = this.running.get(name);
    if (!pending) {
      const check = this.checks[name];
      pending = Promise.resolve()
        .then(() => check?.() ?? false)
        .then(
          (ok) => ok,
          () => false,
        );
      this.running.set(name, pending);
      const settled = pending;
      void settled.finally(() => {
        if (this.running.get(name) === settled) this.running.delete(name);
      });
    }
    const current = pending;
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => {
        if (this.running.get(name) === current) this.running.delete(name);
        resolve(false);
      }, this.timeoutMs);
      void current.then((ok) => {
        clearTimeout(timer);
        resolve(ok);
      });
    });
  }
}

/**
 * A NATS connection is ready when it is connected and the server answers a PING. `isClosed()` is not
 * enough: a connection that is reconnecting is not closed, yet nothing it sends arrives.
 */
export async function natsAnswers(nc: NatsConnection | null | undefined): Promise<boolean> {
  if (!nc || nc.isClosed()) return false;
  await nc.rtt();
  return true;
}

/** The NATS connections a Moleculer broker holds besides the process's own, by the name they are logged as. */
export function brokerConnections(broker: ServiceBroker): Record<string, NatsConnection | null> {
  // Neither the NATS transporter nor the channels adapter exposes its connection in its typings.
  const transporter = (broker.transit?.tx as { client?: NatsConnection | null } | undefined)?.client;
  const channels = (broker as { channelAdapter?: { connection?: NatsConnection | null } }).channelAdapter;
  return {
    transporter: transporter ?? null,
    ...(channels ? { channels: channels.connection ?? null } : {}),
  };
}
