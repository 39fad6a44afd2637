import type { Socket } from 'node:net';
import { KernelSendQueues } from './kernel-send-queues.js';
import type { SseSession } from './sse-session.js';

/**
 * Every `intervalMs`, shows the sessions that may have more than their limit waiting (what waited at
 * the last look plus what was written since) what the kernel holds for them, so a client that reads
 * nothing is found by what waits for it in the kernel too. Only large updates make a session due, and
 * a healthy client has taken them by the next look, so the kernel's table is read a couple of times
 * per large update, never for heartbeats. Where the table cannot be read, sessions are limited by
 * Node's buffer alone.
 */
export class KernelWatch {
  private readonly timer: NodeJS.Timeout | undefined;
  private looking = false;

  constructor(
    private readonly sessions: () => Iterable<SseSession>,
    intervalMs: number,
    private readonly queues: KernelSendQueues | null = KernelSendQueues.open(),
  ) {
    if (!queues) return;
    this.timer = setInterval(() => {
      void this.look();
    }, intervalMs);
    this.timer.unref();
  }

  close(): void {
    clearInterval(this.timer);
  }

  private async look(): Promise<void> {
    // A read that outlasts the interval (a huge table) is not overtaken by the next.
    if (this.looking || !this.queues) return;
    this.looking = true;
    try {
      const due = new Map<Socket, SseSession>();
      for (const session of this.sessions()) {
        const socket = session.socket;
        if (socket && session.mayHoldTooMuch) due.set(socket, session);
      }
      if (due.size === 0) return;
      const held = await this.queues.read(due.keys());
      for (const [socket, session] of due) session.inspect(held.get(socket));
    } finally {
      this.looking = false;
    }
  }
}
