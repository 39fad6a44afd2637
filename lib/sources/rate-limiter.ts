import { setTimeout as sleep } from 'node:timers/promises';

/**
 * At most `limit` starts in any `windowMs`, plus a pause that a server's 429 can impose. Callers are served
 * in arrival order, so concurrent callers cannot all claim the same free slot.
 */
export class RateLimiter {
  private readonly starts: number[] = [];
  private pausedUntil = 0;
  private tail: Promise<void> = Promise.resolve();

  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {
    if (!(limit >= 1) || !(windowMs > 0)) throw new Error(`invalid rate limit ${limit} per ${windowMs} ms`);
  }

  /** When a pause set by `pauseUntil` ends (epoch ms), or 0. */
  get resumeAt(): number {
    return this.pausedUntil;
  }

  /** Holds every later `acquire` until `epochMs`. A shorter pause never cuts a longer one. */
  pauseUntil(epochMs: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, epochMs);
  }

  /** Resolves when the caller may start a request; counts that request. */
  acquire(signal?: AbortSignal): Promise<void> {
    const turn = this.tail.then(() => this.waitForSlot(signal));
    this.tail = turn.catch(() => undefined);
    return turn;
  }

  private async waitForSlot(signal: AbortSignal | undefined): Promise<void> {
    for (;;) {
      signal?.throwIfAborted();
      const now = Date.now();
      while (this.starts.length > 0 && (this.starts[0] ?? 0) <= now - this.windowMs) this.starts.shift();
      const oldest = this.starts[0];
      const windowWait =
        this.starts.length >= this.limit && oldest !== undefined ? oldest + this.windowMs - now : 0;
      const wait = Math.max(this.pausedUntil - now, windowWait);
      if (wait <= 0) break;
      await sleep(wait, undefined, { signal });
    }
    this.starts.push(Date.now());
  }
}
