import type { NatsConnection, Subscription } from 'nats';
import type { DatasetName } from '../../lib/config/env.js';
import type { ImportDone, ImportFailed } from '../../lib/pipeline/messages.js';
import { STREAMS, importerConsumer, subjects } from '../../lib/pipeline/subjects.js';

/** How a wait for an import ended. */
export type ImportOutcome =
  | { kind: 'done'; events: ImportDone[] }
  | { kind: 'failed'; failure: ImportFailed }
  /** Nothing within the time: `why` says whether an importer is there and how much is ahead of it. */
  | { kind: 'timeout'; why: string };

/** Which import a wait is for: one file version (sha256) of a month, and the replay, if it is one. */
export interface ImportKey {
  dataset: DatasetName;
  month: string;
  sha256: string;
  replay?: string;
}

interface MonthEvent {
  dataset: string;
  month: string;
  sha256: string;
  replay?: string | undefined;
}

function matches(e: MonthEvent, key: ImportKey): boolean {
  return (
    e.dataset === key.dataset && e.month === key.month && e.sha256 === key.sha256 && e.replay === key.replay
  );
}

type Where = { dataset: DatasetName; month: string } | null;

/**
 * Waits for the "import done" events of one file version, or for its first failed attempt, which ends
 * the wait at once with the importer's error. Subscribe before publishing, so no event can slip by (a
 * first attempt may fail within milliseconds); without a dataset and month, before they are known, the
 * waiter listens to every import. If the file was published before (a duplicate), its event may be in
 * the stream already.
 */
export class ImportWaiter {
  private readonly done: Subscription;
  private readonly failed: Subscription;

  constructor(
    private readonly nc: NatsConnection,
    private readonly dataset?: DatasetName,
    private readonly month?: string,
  ) {
    const exact = dataset !== undefined && month !== undefined;
    this.done = nc.subscribe(exact ? subjects.importDone(dataset, month) : subjects.importDoneAll);
    this.failed = nc.subscribe(exact ? subjects.importFailed(dataset, month) : subjects.importFailedAll);
  }

  /**
   * How the import of `key` ends: done, failed (its first failed attempt), or nothing within the time.
   * `earlier.done`: the import may have ended before this waiter subscribed; `earlier.failed`: the file
   * was a duplicate, so its import, or its failure, may be in the past.
   */
  async outcome(
    key: ImportKey,
    timeoutMs: number,
    earlier: { done: boolean; failed: boolean } = { done: false, failed: false },
  ): Promise<ImportOutcome> {
    return this.run(
      (e) => matches(e, key),
      (f) => matches(f, key),
      timeoutMs,
      earlier,
      { dataset: key.dataset, month: key.month },
    );
  }

  /** The "import done" events `match` picks, or null after `timeoutMs` (for benchmarks). */
  async wait(
    match: (e: ImportDone) => boolean,
    timeoutMs: number,
    checkStream: boolean,
  ): Promise<ImportDone[] | null> {
    const where: Where =
      this.dataset !== undefined && this.month !== undefined
        ? { dataset: this.dataset, month: this.month }
        : null;
    const outcome = await this.run(
      match,
      () => false,
      timeoutMs,
      { done: checkStream, failed: false },
      where,
    );
    return outcome.kind === 'done' ? outcome.events : null;
  }

  private async run(
    matchDone: (e: ImportDone) => boolean,
    matchFailed: (f: ImportFailed) => boolean,
    timeoutMs: number,
    earlier: { done: boolean; failed: boolean },
    where: Where,
  ): Promise<ImportOutcome> {
    try {
      if (earlier.done && where) {
        const done = await this.last<ImportDone>(
          STREAMS.imports,
          subjects.importDone(where.dataset, where.month),
        );
        const failed = earlier.failed
          ? await this.last<ImportFailed>(
              STREAMS.importFailures,
              subjects.importFailed(where.dataset, where.month),
            )
          : null;
        const doneAt = done && matchDone(done) ? done.importedAt : null;
        if (failed && matchFailed(failed) && (doneAt === null || failed.at > doneAt))
          return { kind: 'failed', failure: failed };
        if (done && doneAt !== null && done.parts === 1) return { kind: 'done', events: [done] };
      }
      return await new Promise<ImportOutcome>((resolve) => {
        const events: ImportDone[] = [];
        const timer = setTimeout(() => {
          void this.whyNothing(where?.dataset).then((why) => {
            resolve({ kind: 'timeout', why });
          });
        }, timeoutMs);
        const finish = (outcome: ImportOutcome) => {
          clearTimeout(timer);
          resolve(outcome);
        };
        void (async () => {
          for await (const m of this.done) {
            const event = parsed(m.data) as ImportDone | null;
            if (!event || !matchDone(event)) continue;
            events.push(event);
            if (events.length === event.parts) finish({ kind: 'done', events });
          }
        })();
        void (async () => {
          for await (const m of this.failed) {
            const failure = parsed(m.data) as ImportFailed | null;
            if (failure && matchFailed(failure)) finish({ kind: 'failed', failure });
          }
        })();
      });
    } finally {
      this.close();
    }
  }

  close(): void {
    this.done.unsubscribe();
    this.failed.unsubscribe();
  }

  private async last<T>(stream: string, subject: string): Promise<T | null> {
    try {
      const jsm = await this.nc.jetstreamManager();
      return (await jsm.streams.getMessage(stream, { last_by_subj: subject })).json<T>();
    } catch {
      // No event for this month yet.
      return null;
    }
  }

  /** Why no import came: no importer listening, or the files queued before this one. */
  private async whyNothing(dataset: DatasetName | undefined): Promise<string> {
    if (dataset === undefined) return 'no importer answered';
    try {
      const jsm = await this.nc.jetstreamManager();
      const info = await jsm.consumers.info(STREAMS.files, importerConsumer(dataset));
      if (!info.push_bound) return `no importer of ${dataset} is running`;
      const queued = info.num_pending + info.num_ack_pending;
      return `the importer of ${dataset} is still busy: ${queued} file${queued === 1 ? '' : 's'} not yet imported`;
    } catch (err) {
      return `the importer's queue could not be read (${err instanceof Error ? err.message : String(err)})`;
    }
  }
}

function parsed(data: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(data));
  } catch {
    return null;
  }
}

/** One line for an operator: what failed and what happens next. */
export function describeFailure(f: ImportFailed): string {
  const next =
    f.retryInSeconds === null
      ? 'it went to the dead letters; `energylive replay --dead-lettered` imports it again once the cause is fixed'
      : `the importer tries again in ${f.retryInSeconds} s (attempt ${f.attempt + 1} of ${f.attempts}); \`energylive status\` shows how it goes`;
  return `import failed (attempt ${f.attempt} of ${f.attempts}): ${f.error}; ${next}`;
}
