import { setTimeout as sleep } from 'node:timers/promises';
import { DATASET_NAMES, type DatasetName } from '../config/env.js';
import { PermanentFileError } from './permanent-file-error.js';
import type { RemoteFile, Source } from './source.js';
import { UnreadableFileError } from './unreadable-file-error.js';

export { PermanentFileError } from './permanent-file-error.js';
export { UnreadableFileError } from './unreadable-file-error.js';

/**
 * The version last handled per file key. Backed by a NATS KV bucket in the service, so it survives restarts.
 * Keys are `RemoteFile.key` as the source gives it (slashes, maybe spaces): a KV store must encode them.
 */
export interface SeenStore {
  get(key: string): Promise<string | undefined>;
  set(key: string, version: string): Promise<void>;
}

/** A SeenStore for callers that need no persistence (tests, one-off CLI runs). */
export class MemorySeenStore implements SeenStore {
  private readonly versions = new Map<string, string>();

  get(key: string): Promise<string | undefined> {
    return Promise.resolve(this.versions.get(key));
  }

  set(key: string, version: string): Promise<void> {
    this.versions.set(key, version);
    return Promise.resolve();
  }
}

type LogFn = (message: string, details?: Record<string, unknown>) => void;

/** What the poller needs of a logger; `console` and moleculer's loggers fit. */
export interface PollerLogger {
  info: LogFn;
  warn: LogFn;
  error: LogFn;
}

export interface SourcePollerOptions {
  source: Source;
  seen: SeenStore;
  /** Handles one new or changed file; the version is recorded once it resolves. */
  onFile: (file: RemoteFile, source: Source) => Promise<void>;
  intervalMs: number;
  /**
   * Pause between two listings; a file whose version changed in between is still being written and waits
   * for the next poll. 0 turns the check off. Defaults to 500 ms for FTP and folders, 0 for the File
   * Library, which publishes whole files.
   */
  settleMs?: number;
  /** Only files of these datasets are handled; files of no known dataset are then skipped too. */
  datasets?: readonly DatasetName[];
  /** Errors after which a file is recorded as handled anyway. Default: `PermanentFileError`. */
  isPermanent?: (err: unknown) => boolean;
  /**
   * How often a file that cannot be read (`UnreadableFileError`) is tried while its version stays the
   * same: it may be a file still being written, else it is broken. Then it is given up like a permanent
   * failure. Default 3. Any other error is about something else (a full disk, NATS) and retried always.
   */
  maxUnreadableAttempts?: number;
  /**
   * Called once for each file the poller gives up on, before its version is recorded (e.g. to publish a
   * dead letter). When it fails, the file is tried again at the next poll.
   */
  onRejected?: (file: RemoteFile, source: Source, err: unknown) => Promise<void>;
  logger?: PollerLogger;
}

export interface PollResult {
  listed: number;
  handled: number;
  /** Failed and retried at the next poll. */
  failed: number;
  /** Failed permanently and recorded, so not retried until the file changes. */
  rejected: number;
  /** Changed during the settle pause; looked at again at the next poll. */
  unsettled: number;
}

const DEFAULT_SETTLE_MS = 500;
const DEFAULT_UNREADABLE_ATTEMPTS = 3;

/**
 * Polls a source and hands each new or changed file to `onFile`, one at a time, in a stable order
 * (dataset, then name: months in order within a dataset). A poll never overlaps another: `pollOnce()`
 * during a poll joins it.
 */
export class SourcePoller {
  private readonly options: SourcePollerOptions;
  private readonly settleMs: number;
  private readonly logger: PollerLogger;
  private readonly isPermanent: (err: unknown) => boolean;
  private readonly maxUnreadableAttempts: number;
  /** Failed attempts at reading each file's current version; forgotten when the version changes. */
  private readonly unreadable = new Map<string, { version: string; attempts: number }>();
  private current: Promise<PollResult> | null = null;
  private loop: Promise<void> | null = null;
  private stopping = new AbortController();

  constructor(options: SourcePollerOptions) {
    this.options = options;
    this.settleMs = options.settleMs ?? (options.source.kind === 'fms' ? 0 : DEFAULT_SETTLE_MS);
    this.logger = options.logger ?? console;
    this.isPermanent = options.isPermanent ?? ((err) => err instanceof PermanentFileError);
    this.maxUnreadableAttempts = options.maxUnreadableAttempts ?? DEFAULT_UNREADABLE_ATTEMPTS;
  }

  /** Polls now, or joins the poll under way. Throws when listing fails. */
  pollOnce(): Promise<PollResult> {
    this.current ??= this.poll(this.stopping.signal).finally(() => {
      this.current = null;
    });
    return this.current;
  }

  /** Polls now and then `intervalMs` after each poll ends. */
  start(): void {
    if (this.loop) return;
    this.loop = this.run(this.stopping.signal);
  }

  /** Ends polling; resolves once the file being handled, if any, is done. */
  async stop(): Promise<void> {
    this.stopping.abort();
    await this.loop;
    await this.current?.catch(() => undefined);
    this.loop = null;
    this.stopping = new AbortController();
  }

  private async run(signal: AbortSignal): Promise<void> {
    for (;;) {
      try {
        await this.pollOnce();
      } catch (err) {
        if (signal.aborted) return;
        this.logger.error('listing failed; retrying at the next poll', {
          source: this.options.source.describe(),
          error: errorMessage(err),
        });
      }
      if (signal.aborted) return;
      await sleep(this.options.intervalMs, undefined, { signal }).catch(() => undefined);
    }
  }

  private async poll(signal: AbortSignal): Promise<PollResult> {
    const { source, seen } = this.options;
    const listed = this.wanted(await source.list(signal));
    const result: PollResult = { listed: listed.length, handled: 0, failed: 0, rejected: 0, unsettled: 0 };
    let todo: RemoteFile[] = [];
    for (const file of listed) {
      if ((await seen.get(file.key)) !== file.version) todo.push(file);
    }
    if (todo.length > 0 && this.settleMs > 0) {
      await sleep(this.settleMs, undefined, { signal });
      const again = new Map((await source.list(signal)).map((f) => [f.key, f.version]));
      const settled = todo.filter((f) => again.get(f.key) === f.version);
      for (const file of todo.filter((f) => !settled.includes(f))) {
        this.logger.info('file still changing; looking again at the next poll', { file: file.key });
      }
      result.unsettled = todo.length - settled.length;
      todo = settled;
    }
    for (const file of todo) {
      // Stop between files, never inside one: a file is handled whole or not at all.
      if (signal.aborted) break;
      await this.handle(file, result);
    }
    return result;
  }

  private async handle(file: RemoteFile, result: PollResult): Promise<void> {
    const { source, seen, onFile, onRejected } = this.options;
    let outcome: 'handled' | 'rejected' = 'handled';
    try {
      await onFile(file, source);
    } catch (err) {
      const details = {
        source: source.describe(),
        file: file.key,
        version: file.version,
        error: errorMessage(err),
      };
      if (!this.isPermanent(err) && !this.unreadableTooOften(file, err)) {
        result.failed++;
        this.logger.warn('file failed; retrying at the next poll', details);
        return;
      }
      outcome = 'rejected';
      this.logger.warn('file failed permanently; skipped until it changes', details);
      try {
        await onRejected?.(file, source, err);
      } catch (rejectError) {
        result.failed++;
        this.logger.error('could not hand over a file given up on; retrying at the next poll', {
          file: file.key,
          error: errorMessage(rejectError),
        });
        return;
      }
    }
    this.unreadable.delete(file.key);
    try {
      await seen.set(file.key, file.version);
      result[outcome]++;
    } catch (err) {
      result.failed++;
      this.logger.error('could not record a handled file; it will be handled again', {
        file: file.key,
        error: errorMessage(err),
      });
    }
  }

  /** Counts a failed read of this version of the file; true once it has failed too often. */
  private unreadableTooOften(file: RemoteFile, err: unknown): boolean {
    if (!(err instanceof UnreadableFileError)) return false;
    const earlier = this.unreadable.get(file.key);
    const attempts = earlier?.version === file.version ? earlier.attempts + 1 : 1;
    this.unreadable.set(file.key, { version: file.version, attempts });
    return attempts >= this.maxUnreadableAttempts;
  }

  private wanted(files: RemoteFile[]): RemoteFile[] {
    const { datasets } = this.options;
    const kept = datasets
      ? files.filter((f) => f.dataset !== null && datasets.includes(f.dataset))
      : [...files];
    return kept.sort(
      (a, b) => datasetRank(a) - datasetRank(b) || compare(a.name, b.name) || compare(a.key, b.key),
    );
  }
}

/** Datasets in their usual order (load, generation, flows); files of no known dataset last. */
function datasetRank(file: RemoteFile): number {
  return file.dataset === null ? DATASET_NAMES.length : DATASET_NAMES.indexOf(file.dataset);
}

/** Code-unit order, the same on every machine (unlike localeCompare). */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
