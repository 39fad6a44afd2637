import type { ServiceBroker } from 'moleculer';
import type { NatsConnection } from 'nats';

/** Whether one dependency answers now. Throwing, or taking longer than the limit, counts as "no". */
export type ReadinessCheck = () => boolean | Promise<boolean>;

/** Long enough for a PING across a busy network, short enough for a probe with a few seconds' timeout. */
export const CHECK_TIMEOUT_MS = 1_500;

/** A check still pending this many time limits after it began is given up, and the next probe asks again. */
const GIVE_UP_AFTER_LIMITS = 10;

/**
 * The checks behind `/readyz`, each bounded in time: a dependency that does not answer (a NATS server
 * that hangs, a database behind a dropped network) makes its check fail after `timeoutMs` instead of
 * holding the probe. One check per dependency runs at a time: probes arriving while it runs share it,
 * so a flood of probes costs one round of checks and a dependency that swallows requests is not sent a
 * new one at every probe; one still pending long after its limit is given up, and the next probe asks
 * afresh, so a single lost request does not keep a process unready for good.
 */
export class Readiness {
  private readonly running = new Map<string, { answer: Promise<boolean>; since: number }>();

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
    let current = this.running.get(name);
    if (!current || Date.now() - current.since > GIVE_UP_AFTER_LIMITS * this.timeoutMs) {
      const check = this.checks[name];
      const answer = Promise.resolve()
        .then(() => check?.() ?? false)
        .then(
          (ok) => ok,
          () => false,
        );
      const started = { answer, since: Date.now() };
      this.running.set(name, started);
      void answer.finally(() => {
        if (this.running.get(name) === started) this.running.delete(name);
      });
      current = started;
    }
    const { answer } = current;
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => {
        resolve(false);
      }, this.timeoutMs);
      void answer.then((ok) => {
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
