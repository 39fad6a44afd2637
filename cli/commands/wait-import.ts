import type { NatsConnection, Subscription } from 'nats';
import type { DatasetName } from '../../lib/config/env.js';
import type { ImportDone } from '../../lib/pipeline/messages.js';
import { STREAMS, subjects } from '../../lib/pipeline/subjects.js';

/**
 * Waits for the "import done" events of one file version. Subscribe before publishing, so the event
 * cannot slip by; if the file was published before (a duplicate), the event may be in the stream already.
 */
export class ImportWaiter {
  private readonly sub: Subscription;

  constructor(
    private readonly nc: NatsConnection,
    private readonly dataset: DatasetName,
    private readonly month: string,
  ) {
    this.sub = nc.subscribe(subjects.importDone(dataset, month));
  }

  async wait(
    match: (e: ImportDone) => boolean,
    timeoutMs: number,
    checkStream: boolean,
  ): Promise<ImportDone[] | null> {
    const events: ImportDone[] = [];
    if (checkStream) {
      try {
        const jsm = await this.nc.jetstreamManager();
        const last = await jsm.streams.getMessage(STREAMS.imports, {
          last_by_subj: subjects.importDone(this.dataset, this.month),
        });
        const event = last.json<ImportDone>();
        if (match(event) && event.parts === 1) {
          this.sub.unsubscribe();
          return [event];
        }
      } catch {
        // No event for this month yet: wait for it below.
      }
    }
    const timer = setTimeout(() => {
      this.sub.unsubscribe();
    }, timeoutMs);
    try {
      for await (const m of this.sub) {
        const event = m.json<ImportDone>();
        if (!match(event)) continue;
        events.push(event);
        if (events.length === event.parts) return events;
      }
      return null;
    } finally {
      clearTimeout(timer);
      this.sub.unsubscribe();
    }
  }

  close(): void {
    this.sub.unsubscribe();
  }
}
