import type { Socket } from 'node:net';
import { KernelSendQueues } from './kernel-send-queues.js';
import type { SseSession } from './sse-session.js';

/**
 * Every `intervalMs`, shows the sessions that may hold data (written to since the last look, or
 * holding some then) what the kernel holds for them, so a client that reads nothing is found by what
 * waits for it in the kernel too. Healthy clients have taken their data by the next look and drop out
 * of it, so the kernel's table is read a couple of times per event or heartbeat, not continuously.
 * Where the table cannot be read, sessions are limited by Node's buffer alone.
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
        if (socket && session.mayHold) due.set(socket, session);
      }
      if (due.size === 0) return;
      const held = await this.queues.read(due.keys());
      for (const [socket, session] of due) session.inspect(held.get(socket));
    } finally {
      this.looking = false;
    }
  }
}
