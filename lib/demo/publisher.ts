import { createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { DATASET_NAMES } from '../config/env.js';
import { startReadOnlyFtpServer, type DemoLogger } from './ftp-server.js';
import { officialFileName, officialFolder, writeMonthFile } from './generator.js';
import { MAX_PUBLICATION_DELAY_S, MAX_REVISION_DELAY_S } from './revisions.js';
import { HOUR_MS, QUARTER_MS, addMonths, floorToQuarter, formatUtc, monthOf, monthRange } from './time.js';

export type { DemoLogger } from './ftp-server.js';

/**
 * Serves generated ENTSO-E files from a local FTP server laid out like the Transparency Platform's
 * (`/TP_export/<folder>/<YYYY_MM_folder>.csv`), so the whole pipeline runs without an account.
 *
 * A publication clock decides what the files hold: every interval that ended by then, and the
 * revisions made by then. It starts a few hours behind real time and advances one quarter-hour every
 * `stepMs`, so the current month visibly grows within seconds, until it catches up with real time and
 * then follows it; it never publishes the future. Each step rewrites the current month's three files;
 * the previous month's files are refreshed hourly while their revisions still arrive.
 *
 * Files are written under a hidden temporary name in their folder and renamed into place, so a client
 * never sees a partial file, and every version has a new modification time.
 */

export interface DemoPublisherOptions {
  /** Folder to write the files to; served as the FTP root. */
  dir: string;
  /** 0 picks a free port. */
  port: number;
  /** Defaults to 127.0.0.1. */
  host?: string;
  /** Real time between two steps of the publication clock. */
  stepMs: number;
  /** How many past full months to publish besides the current one. */
  months: number;
  /** Real time; injectable for tests. */
  now?: () => Date;
  logger?: DemoLogger;
}

export interface DemoPublisher {
  /** `ftp://host:port`; the files are under `/TP_export/`. */
  url: string;
  port: number;
  /** Advances the clock one interval now and republishes; does nothing once the clock has caught up. */
  step(): Promise<void>;
  /** Stops stepping, waits for a write in progress and stops the FTP server. */
  close(): Promise<void>;
}

/** How far behind real time the clock starts: 24 steps of visible growth before it catches up. */
const START_BEHIND_MS = 6 * HOUR_MS;
const TEMP_SUFFIX = '.tmp';

const silentLogger: DemoLogger = { info: () => undefined, warn: () => undefined };

/** Files being written: hidden names, so they neither show in listings nor match the official pattern. */
function isTempName(name: string): boolean {
  return name.startsWith('.') && name.endsWith(TEMP_SUFFIX);
}

export async function startDemoPublisher(options: DemoPublisherOptions): Promise<DemoPublisher> {
  if (!Number.isInteger(options.months) || options.months < 0) {
    throw new Error(`demo publisher: months must be a whole number ≥ 0, got ${options.months}`);
  }
  if (!(options.stepMs > 0))
    throw new Error(`demo publisher: stepMs must be positive, got ${options.stepMs}`);
  const now = options.now ?? (() => new Date());
  const logger = options.logger ?? silentLogger;
  const root = path.resolve(options.dir);
  const exportDir = path.join(root, 'TP_export');
  for (const dataset of DATASET_NAMES) await prepareFolder(path.join(exportDir, officialFolder(dataset)));

  const ftp = await startReadOnlyFtpServer({
    root,
    host: options.host ?? '127.0.0.1',
    port: options.port,
    hidden: isTempName,
    logger,
  });

  // The newest interval that may be published ends one first-publication delay before real time, so
  // every UpdateTime in the files is in the past.
  const liveEdge = () => floorToQuarter(now().getTime() - MAX_PUBLICATION_DELAY_S * 1000);
  let clock = Math.min(floorToQuarter(now().getTime() - START_BEHIND_MS), liveEdge());

  const published = new Set<string>();
  const publish = async (month: string): Promise<void> => {
    published.add(month);
    const rows: Record<string, number> = {};
    for (const dataset of DATASET_NAMES) {
      const file = path.join(exportDir, officialFolder(dataset), officialFileName(dataset, month));
      const temp = path.join(path.dirname(file), `.${path.basename(file)}${TEMP_SUFFIX}`);
      try {
        const stats = await writeMonthFile({
          dataset,
          month,
          until: new Date(clock),
          out: createWriteStream(temp),
        });
        await rename(temp, file);
        rows[dataset] = stats.rows;
      } catch (error) {
        await rm(temp, { force: true });
        throw error;
      }
    }
    logger.info({ month, clock: formatUtc(clock), rows }, `demo publisher: published ${month}`);
  };

  let queue: Promise<void> = Promise.resolve();
  /** Runs writes one at a time: the timer and `step()` never write the same file at once. */
  const serialized = (task: () => Promise<void>): Promise<void> => {
    const run = queue.then(task);
    queue = run.catch(() => undefined);
    return run;
  };

  const advance = async (): Promise<void> => {
    const previous = clock;
    const next = previous + QUARTER_MS;
    if (next > liveEdge()) return;
    clock = next;
    const months = new Set([monthOf(previous), monthOf(next)]);
    const earlier = addMonths(monthOf(previous), -1);
    const revisionsUntil = monthRange(earlier).endMs + MAX_REVISION_DELAY_S * 1000;
    if (next % HOUR_MS === 0 && previous < revisionsUntil && published.has(earlier)) months.add(earlier);
    for (const month of [...months].sort()) await publish(month);
  };

  try {
    await serialized(async () => {
      const current = monthOf(clock);
      for (let back = options.months; back >= 0; back--) await publish(addMonths(current, -back));
    });
  } catch (error) {
    await ftp.close();
    throw error;
  }
  logger.info(
    { url: ftp.url, dir: root, clock: formatUtc(clock) },
    'demo publisher: serving ENTSO-E demo files',
  );

  let closed = false;
  let timer: NodeJS.Timeout | null = null;
  const schedule = () => {
    timer = setTimeout(() => {
      void serialized(advance)
        .catch((error: unknown) => {
          logger.warn({ error: String(error) }, 'demo publisher: step failed');
        })
        .finally(() => {
          if (!closed) schedule();
        });
    }, options.stepMs);
  };
  schedule();

  return {
    url: ftp.url,
    port: ftp.port,
    step: () => {
      if (closed) return Promise.reject(new Error('demo publisher is closed'));
      return serialized(advance);
    },
    close: async () => {
      if (closed) return;
      closed = true;
      if (timer) clearTimeout(timer);
      await queue;
      await ftp.close();
    },
  };
}

/** Creates a dataset folder and removes temporary files a crashed run may have left. */
async function prepareFolder(folder: string): Promise<void> {
  await mkdir(folder, { recursive: true });
  for (const name of await readdir(folder)) {
    if (isTempName(name)) await rm(path.join(folder, name), { force: true });
  }
}
