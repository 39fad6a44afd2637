import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { KernelQueue } from './kernel-send-queues.js';

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

/** The head of every event stream, and of the answer to a HEAD of one. */
export const SSE_HEADERS: Record<string, string> = {
  'Content-Type': 'text/event-stream; charset=utf-8',
  'Cache-Control': 'no-cache',
  // nginx would otherwise hold events back to fill its buffer.
  'X-Accel-Buffering': 'no',
  // Here rather than set on the response beforehand: see gateway/security-headers.ts.
  'X-Content-Type-Options': 'nosniff',
};

/** One SSE event. `data` is JSON, which never holds a raw line break, so one `data:` line is enough. */
export function sseFrame(event: string, id: number, data: unknown): string {
  return `event: ${event}\nid: ${id}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** Looks at the kernel's side this many times in a row before it takes a shut window for a stalled client. */
const SHUT_LOOKS = 2;

/**
 * The wire side of one Server-Sent Events response: framing, order, and the limit on what a client that
 * does not read may make the server hold, in Node's buffer and the kernel's.
 */
export class SseSession {
  /** Settles when the response is over, whoever ended it. */
  readonly done: Promise<void>;
  private open = true;
  private tail: Promise<void> = Promise.resolve();
  /** What the socket had been given, and what was left unacknowledged, at the last look at the kernel. */
  private lookedAt = 0;
  private heldAtLook = 0;
  /** Looks in a row that found the client's window shut with more than the limit waiting. */
  private shutLooks = 0;

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
    res.writeHead(200, SSE_HEADERS);
    this.write(`retry: ${options.retryMs}\n\n`);
  }

  get closed(): boolean {
    return !this.open;
  }

  get socket(): Socket | null {
    return this.res.socket;
  }

  /**
   * Whether a look at the kernel could find more than the limit waiting: no more can wait than waited
   * at the last look plus what was written since. Sessions sent only heartbeats and small updates are
   * never looked at.
   */
  get mayHoldTooMuch(): boolean {
    const written = (this.res.socket?.bytesWritten ?? 0) - this.lookedAt;
    return this.open && this.heldAtLook + written > this.options.maxBufferedBytes;
  }

  /**
   * What the kernel holds for this client, as just read. A client whose window stays shut over two looks
   * while more than the limit waits for it (in Node's buffer and the kernel's) reads nothing: it is
   * dropped and its connection reset. A client that reads, however slowly, opens its window again.
   */
  inspect(kernel: KernelQueue | undefined): void {
    if (!this.open) return;
    this.lookedAt = this.res.socket?.bytesWritten ?? 0;
    const held = this.res.writableLength + (kernel?.queued ?? 0);
    this.heldAtLook = held;
    const stalled = kernel?.windowShut === true && held > this.options.maxBufferedBytes;
    this.shutLooks = stalled ? this.shutLooks + 1 : 0;
    if (this.shutLooks >= SHUT_LOOKS) this.drop(held);
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
    // A client that does not read would keep the socket, and its buffers, until it times out.
    if (this.res.writableLength > 0 || this.shutLooks > 0) this.reset();
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
      this.drop(buffered);
      return false;
    }
    this.res.write(text);
    return true;
  }

  private drop(held: number): void {
    this.open = false;
    this.options.observer.dropped('slow_client', held);
    this.reset();
  }

  /**
   * Ends the connection with a reset rather than a close: a close leaves what the client never read in
   * the kernel, which goes on offering it to a shut window for minutes; a reset frees it at once.
   */
  private reset(): void {
    const socket = this.res.socket;
    if (socket && !socket.destroyed) socket.resetAndDestroy();
    else this.res.destroy();
  }
}
