import type { ServerResponse } from 'node:http';

/** Why the server ended a session; the client reconnects with `Last-Event-ID` and misses nothing. */
export type DropReason = 'slow_client' | 'query_failed' | 'replay_failed';

export interface SessionObserver {
  pushed(): void;
  dropped(reason: DropReason, bufferedBytes: number): void;
}

export interface SseSessionOptions {
  retryMs: number;
  maxBufferedBytes: number;
  observer: SessionObserver;
}

/** One SSE event. `data` is JSON, which never holds a raw line break, so one `data:` line is enough. */
export function sseFrame(event: string, id: number, data: unknown): string {
  return `event: ${event}\nid: ${id}\ndata: ${JSON.stringify(data)}\n\n`;
}

/**
 * The wire side of one Server-Sent Events response: framing, order, and the limit on what a client that
 * does not read may make the server hold.
 */
export class SseSession {
  /** Settles when the response is over, whoever ended it. */
  readonly done: Promise<void>;
  private open = true;
  private tail: Promise<void> = Promise.resolve();

  constructor(
    private readonly res: ServerResponse,
    private readonly options: SseSessionOptions,
  ) {
    let closed!: () => void;
    this.done = new Promise((resolve) => (closed = resolve));
    // The client may have left while its request was looked at: then its `close` has been and gone.
    if (res.destroyed) {
      this.open = false;
      closed();
      return;
    }
    res.once('close', () => {
      this.open = false;
      closed();
    });
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache',
      // nginx would otherwise hold events back to fill its buffer.
      'X-Accel-Buffering': 'no',
    });
    this.write(`retry: ${options.retryMs}\n\n`);
  }

  get closed(): boolean {
    return !this.open;
  }

  /** Writes at once, ahead of whatever is still queued. */
  send(frame: string): void {
    this.write(frame);
  }

  /**
   * Writes a frame whose content is still being computed, after every frame queued before it, so that a
   * slow query never lets a later event overtake an earlier one. A failed query ends the session: the
   * client reconnects and gets the event again by replay, rather than silently missing it.
   */
  queue(frame: Promise<string>): Promise<void> {
    this.tail = this.tail
      .then(() => frame)
      .then(
        (text) => {
          if (this.write(text)) this.options.observer.pushed();
        },
        () => {
          this.fail('query_failed');
        },
      );
    return this.tail;
  }

  heartbeat(): void {
    this.write(': heartbeat\n\n');
  }

  /** Ends the response the way a client expects, so it reconnects; after `retryMs` if given. */
  end(retryMs?: number): void {
    if (retryMs !== undefined) this.write(`retry: ${retryMs}\n\n`);
    if (!this.open) return;
    this.open = false;
    this.res.end();
    // A client that does not read would keep the socket, and its buffer, until it times out.
    if (this.res.writableLength > 0) this.res.destroy();
  }

  fail(reason: DropReason): void {
    if (!this.open) return;
    this.options.observer.dropped(reason, this.res.writableLength);
    this.end();
  }

  /**
   * Checked before each write rather than after, so a large frame to a healthy client is never a reason
   * to drop it; what the server holds stays under the limit plus one frame.
   */
  private write(text: string): boolean {
    if (!this.open) return false;
    const buffered = this.res.writableLength;
    if (buffered > this.options.maxBufferedBytes) {
      this.open = false;
      this.options.observer.dropped('slow_client', buffered);
      this.res.destroy();
      return false;
    }
    this.res.write(text);
    return true;
  }
}
