import { Counter, Gauge, type Registry } from 'prom-client';

/** What an operator watches of the live updates; without a registry the counts are kept but not served. */
export class LiveMetrics {
  readonly sessions: Gauge;
  readonly events: Counter;
  readonly drops: Counter<'reason'>;

  constructor(registry: Registry | undefined, openSessions: () => number) {
    const registers = registry ? [registry] : [];
    this.sessions = new Gauge({
      name: 'energylive_gateway_sse_sessions',
      help: 'Open Server-Sent Events sessions',
      registers,
      collect() {
        this.set(openSessions());
      },
    });
    this.events = new Counter({
      name: 'energylive_gateway_sse_events_total',
      help: 'Update events written to SSE sessions',
      registers,
    });
    this.drops = new Counter({
      name: 'energylive_gateway_sse_sessions_dropped_total',
      help: 'SSE sessions ended by the server, by reason (slow_client, query_failed, replay_failed)',
      labelNames: ['reason'],
      registers,
    });
  }
}
