import type Koa from 'koa';
import type {
  Consumer,
  ConsumerMessages,
  JetStreamClient,
  JetStreamManager,
  JsMsg,
  NatsConnection,
} from 'nats';
import type { Registry } from 'prom-client';
import { STREAMS, subjects } from '../../lib/pipeline/subjects.js';
import type { ColumnarSeries, SeriesRequest } from '../../lib/query/series-request.js';
import { affectedRange, cover, type Range } from './affected-range.js';
import { LiveMetrics } from './live-metrics.js';
import { KernelWatch } from './kernel-watch.js';
import { retainedMessages } from './retained-messages.js';
import { seriesChanges, type SeriesChange } from './series-change.js';
import { SessionIndex, watches } from './session-index.js';
import { SSE_HEADERS, SseSession, sseFrame, type SessionObserver } from './sse-session.js';

export interface LiveLogger {
  info(o: object): void;
  warn(o: object): void;
}

/** The soonest a client of a stopping gateway comes back: by then the gateway has left the load balancer. */
const MIN_DRAIN_RETRY_MS = 250;

export interface LiveUpdatesOptions {
  /** JetStream streams must exist already (`applyDefinitions`). */
  nc: NatsConnection;
  /** The values of a range at a resolution: what the query actor answers. */
  points: (request: SeriesRequest) => Promise<ColumnarSeries>;
  registry?: Registry;
  logger?: LiveLogger;
  /** Default 20 s; at most 25 s, as proxies and browsers close connections silent for 30 s or more. */
  heartbeatMs?: number;
  /** The reconnection delay suggested to clients (`retry:`), default 3 s. */
  retryMs?: number;
  /**
   * When the gateway shuts down, each client is told to come back after a random delay up to this
   * (default 5 s), so its clients spread over the other gateways instead of arriving all at once.
   */
  drainRetryMs?: number;
  /**
   * What may wait for a client that does not read, in Node's buffer and the kernel's, before the server
   * ends the session and resets its connection; default 256 KiB.
   */
  maxBufferedBytes?: number;
  /** How often the kernel's send queues of sessions just written to are looked at; default 500 ms. */
  kernelCheckMs?: number;
}

/** What may end a session early: it registers `end`, and returns how to take it back. */
export type SessionLimit = (end: (reason: string) => void) => () => void;

export interface LiveUpdates {
  /**
   * Serves one SSE session for an already validated request until the client goes away, or until
   * `limit` ends it (the subscriber's access ended): then an `end` event with the reason closes it.
   */
  handle(ctx: Koa.Context, request: SeriesRequest, limit?: SessionLimit): Promise<void>;
  /** Answers a HEAD of a stream: the head a session would get, with no session opened. */
  head(ctx: Koa.Context): void;
  readonly sessions: number;
  /** Ends every session and stops listening. */
  close(): Promise<void>;
}

const MAX_HEARTBEAT_MS = 25_000;
/** How long a stopping gateway waits for its consumer to be deleted. */
const CONSUMER_DELETE_MS = 1_000;
/** Messages the live consumer holds ahead of the dispatch; an "import done" can be 1 MiB. */
const LIVE_BATCH = 16;

/** One session as the dispatch sees it. */
interface Watcher {
  readonly request: SeriesRequest;
  readonly sse: SseSession;
  /** While the missed events are replayed, live events for the session wait here, to go out after them. */
  held: { seq: number; range: Range }[] | null;
}

const silent: LiveLogger = { info: () => undefined, warn: () => undefined };

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** `Last-Event-ID` as a stream sequence; anything else is a client without a position. */
function eventId(value: unknown): number | undefined {
  if (typeof value !== 'string' || !/^\d{1,15}$/.test(value)) return undefined;
  return Number(value);
}

/** Identical requests get one query per event, however many sessions asked for them. */
function requestKey(r: SeriesRequest): string {
  return JSON.stringify([r.dataset, r.area, r.type ?? null, r.in ?? null, r.resolution, r.from, r.to]);
}

/**
 * Listens to every "import done" message from the moment the gateway starts, with a consumer of its own:
 * every gateway instance must see every event, and the JetStream sequence a message gets is the same
 * everywhere, which is what lets a client resume on any instance.
 */
export async function createLiveUpdates(options: LiveUpdatesOptions): Promise<LiveUpdates> {
  const heartbeatMs = options.heartbeatMs ?? 20_000;
  if (!(heartbeatMs > 0 && heartbeatMs <= MAX_HEARTBEAT_MS)) {
    throw new RangeError(`heartbeatMs must be in (0, ${MAX_HEARTBEAT_MS}], got ${heartbeatMs}`);
  }
  const js = options.nc.jetstream();
  const jsm = await options.nc.jetstreamManager();
  const { state } = await jsm.streams.info(STREAMS.imports);
  const consumer = await js.consumers.get(STREAMS.imports, {
    filterSubjects: subjects.importDoneAll,
    opt_start_seq: state.last_seq + 1,
  });
  const messages = await consumer.consume({ max_messages: LIVE_BATCH });
  return new Relay(options, heartbeatMs, js, jsm, consumer, messages, state.last_seq);
}

class Relay implements LiveUpdates {
  private readonly index = new SessionIndex<Watcher>();
  private readonly watchers = new Set<Watcher>();
  private readonly replays = new Set<Promise<void>>();
  private readonly metrics: LiveMetrics;
  private readonly logger: LiveLogger;
  private readonly heartbeat: NodeJS.Timeout;
  private readonly kernel: KernelWatch;
  private readonly running: Promise<void>;
  private closed: Promise<void> | undefined;

  constructor(
    private readonly options: LiveUpdatesOptions,
    heartbeatMs: number,
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
    private readonly consumer: Consumer,
    private readonly messages: ConsumerMessages,
    /** The sequence of the last message dispatched: a new session gets every event after it. */
    private cursor: number,
  ) {
    this.logger = options.logger ?? silent;
    this.metrics = new LiveMetrics(options.registry, () => this.watchers.size);
    // One timer for all sessions rather than one each: a session's first heartbeat may come early, never late.
    this.heartbeat = setInterval(() => {
      for (const w of this.watchers) w.sse.heartbeat();
    }, heartbeatMs);
    this.heartbeat.unref();
    this.kernel = new KernelWatch(() => this.sseSessions(), options.kernelCheckMs ?? 500);
    this.running = this.run();
  }

  get sessions(): number {
    return this.watchers.size;
  }

  private *sseSessions(): Iterable<SseSession> {
    for (const w of this.watchers) yield w.sse;
  }

  async handle(ctx: Koa.Context, request: SeriesRequest, limit?: SessionLimit): Promise<void> {
    const lastEventId = eventId(ctx.get('Last-Event-ID') || ctx.query.lastEventId);
    const lastRetained = lastEventId === undefined ? undefined : await this.lastRetainedAfter(lastEventId);
    if (this.closed) {
      ctx.status = 503;
      return;
    }
    ctx.respond = false;
    const socket = ctx.req.socket;
    socket.setTimeout(0);
    socket.setNoDelay(true);
    socket.setKeepAlive(true);
    const sse = new SseSession(ctx.res, {
      retryMs: this.options.retryMs ?? 3_000,
      maxBufferedBytes: this.options.maxBufferedBytes ?? 256 * 1024,
      observer: this.observer(request),
    });
    const resume = lastEventId !== undefined && lastRetained !== undefined;
    const w: Watcher = { request, sse, held: resume ? [] : null };
    // Registered and announced in one step, with no await between: the `ready` id is exactly the position
    // after which this session gets every event, so a client reconnecting with it misses nothing.
    this.index.add(w);
    this.watchers.add(w);
    if (resume) {
      sse.send(sseFrame('ready', lastEventId, { resumed: true }));
      this.track(this.catchUp(w, lastEventId, Math.max(lastRetained, this.cursor)));
    } else {
      sse.send(sseFrame('ready', this.cursor, { resumed: false }));
    }
    const release = limit?.((reason) => {
      sse.send(`event: end\ndata: ${JSON.stringify({ reason })}\n\n`);
      sse.end();
    });
    await sse.done;
    release?.();
    this.index.delete(w);
    this.watchers.delete(w);
  }

  head(ctx: Koa.Context): void {
    if (this.closed) {
      ctx.status = 503;
      return;
    }
    ctx.status = 200;
    ctx.set(SSE_HEADERS);
  }

  close(): Promise<void> {
    this.closed ??= this.shutDown();
    return this.closed;
  }

  private async shutDown(): Promise<void> {
    clearInterval(this.heartbeat);
    this.kernel.close();
    // Sessions first: whatever NATS does next, clients get their end and reconnect elsewhere.
    const spread = this.options.drainRetryMs ?? 5_000;
    for (const w of this.watchers) w.sse.end(Math.round(MIN_DRAIN_RETRY_MS + Math.random() * spread));
    await this.messages.close().catch(() => undefined);
    await this.running;
    // Only tidiness: the server removes an idle ordered consumer by itself, and an unreachable server
    // would hold the stop for a whole request timeout.
    await Promise.race([
      this.consumer.delete().catch(() => undefined),
      new Promise((resolve) => setTimeout(resolve, CONSUMER_DELETE_MS).unref()),
    ]);
    await Promise.all([...this.watchers].map((w) => w.sse.done));
    await Promise.all(this.replays);
  }

  private observer(request: SeriesRequest): SessionObserver {
    return {
      pushed: () => {
        this.metrics.events.inc();
      },
      dropped: (reason, bufferedBytes) => {
        this.metrics.drops.inc({ reason });
        this.logger.info({
          msg: 'live session dropped',
          reason,
          bufferedBytes,
          dataset: request.dataset,
          area: request.area,
        });
      },
    };
  }

  private async run(): Promise<void> {
    try {
      for await (const m of this.messages) this.dispatch(m);
    } catch (err) {
      if (!this.closed) this.logger.warn({ msg: 'live updates stopped listening', error: errorText(err) });
    }
  }

  /** Starts the queries an event needs at once; each session writes its frames in event order. */
  private dispatch(m: JsMsg): void {
    this.cursor = m.seq;
    const affected = new Map<Watcher, Range>();
    for (const change of this.changesOf(m)) {
      for (const w of this.index.matching(change)) {
        const range = affectedRange(w.request, change);
        if (range) affected.set(w, cover(affected.get(w), range));
      }
    }
    const frames = new Map<string, Promise<string>>();
    for (const [w, range] of affected) {
      if (w.held) {
        w.held.push({ seq: m.seq, range });
        continue;
      }
      const request = { ...w.request, ...range };
      const key = requestKey(request);
      let frame = frames.get(key);
      if (!frame) frames.set(key, (frame = this.updateFrame(m.seq, request)));
      void w.sse.queue(frame);
    }
  }

  private changesOf(m: JsMsg): SeriesChange[] {
    try {
      return seriesChanges(m.json());
    } catch (err) {
      this.logger.warn({
        msg: 'unreadable import message',
        seq: m.seq,
        subject: m.subject,
        error: errorText(err),
      });
      return [];
    }
  }

  private async updateFrame(seq: number, request: SeriesRequest): Promise<string> {
    try {
      return sseFrame('update', seq, await this.options.points(request));
    } catch (err) {
      this.logger.warn({ msg: 'live update query failed', seq, request, error: errorText(err) });
      throw err;
    }
  }

  /**
   * The last message in the stream if it still holds every message after `id`, so a replay leaves no gap.
   * An id from the future (a recreated stream) or a failed lookup also give nothing: the client starts
   * afresh.
   */
  private async lastRetainedAfter(id: number): Promise<number | undefined> {
    try {
      const { state } = await this.jsm.streams.info(STREAMS.imports);
      return id <= state.last_seq && id + 1 >= state.first_seq ? state.last_seq : undefined;
    } catch (err) {
      this.logger.warn({ msg: 'cannot check the import stream for a replay', error: errorText(err) });
      return undefined;
    }
  }

  /**
   * Replays the messages in (after, until], then hands the session to the live dispatch. `until` is at
   * or after the last message dispatched when the session was registered, and every later one reached
   * the session as a held live event, so together they leave no gap; held events up to `until` are the
   * ones the replay has just sent, and are dropped.
   */
  private async catchUp(w: Watcher, after: number, until: number): Promise<void> {
    try {
      const filter = subjects.importDone(w.request.dataset, '*');
      for await (const m of retainedMessages(this.js, STREAMS.imports, filter, after, until)) {
        if (w.sse.closed) return;
        let range: Range | undefined;
        for (const change of this.changesOf(m)) {
          const changed = watches(w.request, change) ? affectedRange(w.request, change) : null;
          if (changed) range = cover(range, changed);
        }
        if (range) await w.sse.queue(this.updateFrame(m.seq, { ...w.request, ...range }));
      }
      for (const held of w.held ?? []) {
        if (held.seq > until) void w.sse.queue(this.updateFrame(held.seq, { ...w.request, ...held.range }));
      }
      w.held = null;
    } catch (err) {
      if (w.sse.closed) return;
      this.logger.warn({ msg: 'live session replay failed', after, error: errorText(err) });
      w.sse.fail('replay_failed');
    }
  }

  private track(replay: Promise<void>): void {
    this.replays.add(replay);
    void replay.finally(() => this.replays.delete(replay));
  }
}
