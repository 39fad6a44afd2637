import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { JetStreamClient } from 'nats';
import type { DatasetName } from '../../lib/config/env.js';
import type { ClickHouse } from '../../lib/clickhouse/connection.js';
import { importMonth, partitionOf, type ChangedRange } from '../../lib/clickhouse/month-import.js';
import type { SchemaOptions } from '../../lib/clickhouse/schema.js';
import { DATASETS } from '../../lib/entsoe/datasets.js';
import { latestMonthKey } from '../../lib/entsoe/parse-stream.js';
import type { FileReady, ImportDone } from '../../lib/pipeline/messages.js';
import { publishDeadLetter } from '../../lib/pipeline/publish-file.js';
import { subjects } from '../../lib/pipeline/subjects.js';
import type { FileStore } from '../../lib/storage/file-store.js';

export interface ImportDeps {
  ch: ClickHouse;
  schema: SchemaOptions;
  store: FileStore;
  js: JetStreamClient;
  tmpDir: string;
  /** Stream sequence of the message: a redelivery of a committed import then reports that import. */
  messageSeq?: number;
  /** Refuse months after the one after this (default: now); tests pass their own. */
  now?: Date;
}

/** A message that can never be imported, however often it is tried. */
export class UnusableMessage extends Error {}

/** Keeps each "import done" message well under NATS's default 1 MB payload limit. */
const MAX_CHANGES_BYTES = 512 * 1024;

function check(condition: boolean, what: string): asserts condition {
  if (!condition) throw new UnusableMessage(`invalid file-ready message: ${what}`);
}

/** Messages come from the network: every field the importer uses is checked before use. */
export function parseFileReady(payload: unknown, dataset: DatasetName, now = new Date()): FileReady {
  check(typeof payload === 'object' && payload !== null, 'not an object');
  const m = payload as Partial<FileReady>;
  check(m.dataset === dataset, `dataset "${String(m.dataset)}" on the ${dataset} subject`);
  check(typeof m.month === 'string' && /^\d{4}-(0[1-9]|1[0-2])$/.test(m.month), 'month');
  // The parser refuses such rows; a message for a later month did not come from it.
  check(partitionOf(m.month) <= latestMonthKey(now), `month ${m.month} is after next month`);
  check(typeof m.sha256 === 'string' && /^[0-9a-f]{64}$/.test(m.sha256), 'sha256');
  const o = m.object;
  check(typeof o === 'object' && typeof o.name === 'string' && typeof o.bucket === 'string', 'object');
  check(
    o.name === `${dataset}/${m.month}/${m.sha256}.tsv.gz`,
    'object name does not match the content digest',
  );
  check(
    m.replay === undefined || (typeof m.replay === 'string' && /^[A-Za-z0-9-]{1,64}$/.test(m.replay)),
    'replay',
  );
  return m as FileReady;
}

/** Splits the change list so every message stays small; at least one message even with no changes. */
export function splitChanges(changes: ChangedRange[]): ChangedRange[][] {
  const parts: ChangedRange[][] = [[]];
  let bytes = 0;
  for (const change of changes) {
    const size = JSON.stringify(change).length + 1;
    const current = parts[parts.length - 1] as ChangedRange[];
    if (bytes + size > MAX_CHANGES_BYTES && current.length > 0) {
      parts.push([change]);
      bytes = size;
    } else {
      current.push(change);
      bytes += size;
    }
  }
  return parts;
}

/**
 * Importer side of the pipeline for one "file ready" message: fetch the canonical file, replace the
 * month, then publish "import done" with what changed. Safe to run again for the same message: the
 * import is idempotent and the events carry message ids JetStream deduplicates.
 */
export interface ImportOutcome {
  events: ImportDone[];
  /** Milliseconds per step; absent when the message was dead-lettered. */
  timings?: Record<string, number>;
  /** Why the message was dead-lettered at once, when it cannot be an import at all. */
  unusable?: string;
}

export async function importFileReady(
  payload: unknown,
  dataset: DatasetName,
  deps: ImportDeps,
): Promise<ImportOutcome> {
  let message: FileReady;
  try {
    message = parseFileReady(payload, dataset, deps.now);
    if (message.object.store !== deps.store.kind || message.object.bucket !== deps.store.bucket) {
      throw new UnusableMessage(
        `file is in ${message.object.store}:${message.object.bucket}, this importer reads ${deps.store.kind}:${deps.store.bucket}`,
      );
    }
    if (!(await deps.store.exists(message.object.name))) {
      throw new UnusableMessage(`object ${message.object.name} is no longer stored`);
    }
  } catch (err) {
    if (!(err instanceof UnusableMessage)) throw err;
    const m = payload as Partial<FileReady> | null;
    await publishDeadLetter(
      deps.js,
      {
        stage: 'importer',
        reason: 'unusable_message',
        message: err.message,
        dataset,
        ...(typeof m?.month === 'string' ? { month: m.month } : {}),
        at: new Date().toISOString(),
      },
      `importer|${JSON.stringify(payload)}`,
    );
    return { events: [], unusable: err.message };
  }

  await fs.promises.mkdir(deps.tmpDir, { recursive: true });
  const local = path.join(deps.tmpDir, `import-${randomBytes(6).toString('hex')}.tsv.gz`);
  try {
    const started = Date.now();
    await deps.store.download(message.object.name, local);
    const download = Date.now() - started;
    const result = await importMonth(deps.ch, deps.schema, {
      dataset: DATASETS[dataset],
      month: message.month,
      sha256: message.sha256,
      file: local,
      fileName: message.source.name,
      source: message.source.kind,
      layout: message.layout,
      rows: message.rows,
      rejected: message.rejected,
      ...(deps.messageSeq === undefined ? {} : { messageSeq: deps.messageSeq }),
    });
    const parts = splitChanges(result.changes);
    const events = parts.map((changes, i): ImportDone => ({
      dataset,
      month: message.month,
      sha256: message.sha256,
      status: result.status,
      changes,
      changedPoints: changes.reduce((n, c) => n + c.points, 0),
      monthRows: result.monthRows,
      importedAt: result.importedAt,
      part: i + 1,
      parts: parts.length,
      ...(message.replay ? { replay: message.replay } : {}),
    }));
    for (const event of events) {
      const replay = event.replay ? `.${event.replay}` : '';
      await deps.js.publish(
        subjects.importDone(dataset, message.month),
        new TextEncoder().encode(JSON.stringify(event)),
        {
          msgID: `${dataset}.${message.month}.${message.sha256}.${event.part}${replay}`,
        },
      );
    }
    return { events, timings: { download, ...result.timings } };
  } finally {
    await fs.promises.rm(local, { force: true });
  }
}
