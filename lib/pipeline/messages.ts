import type { DatasetName } from '../config/env.js';
import type { ChangedRange } from '../clickhouse/month-import.js';
import type { RejectCounts } from '../entsoe/reject-reasons.js';

/** Where a canonical file is kept. */
export interface StoredObject {
  store: 'nats' | 'gcs';
  bucket: string;
  name: string;
  bytes: number;
}

/** Published by a parser on `energylive.files.<dataset>.<month>` once the canonical file is stored. */
export interface FileReady {
  dataset: DatasetName;
  month: string;
  /** SHA-256 of the canonical content; also the JetStream message id, so a duplicate is dropped. */
  sha256: string;
  object: StoredObject;
  layout: string;
  rows: number;
  rejected: RejectCounts;
  spreadsheetUpdateTimes: number;
  firstTs: string | null;
  lastTs: string | null;
  source: { kind: string; name: string; key: string; version: string };
  parsedAt: string;
  /** Set by `energylive replay`: an operator asked for this month to be imported again. */
  replay?: string;
}

/** Published by an importer on `energylive.imports.<dataset>.<month>` after the month is committed. */
export interface ImportDone {
  dataset: DatasetName;
  month: string;
  sha256: string;
  status: 'imported' | 'unchanged';
  changes: ChangedRange[];
  changedPoints: number;
  monthRows: number;
  importedAt: string;
  /** A large change list is split over several messages: this is part `part` of `parts` (1-based). */
  part: number;
  parts: number;
  replay?: string;
}

/**
 * Published by an importer on `energylive.importfailed.<dataset>.<month>` each time an import fails,
 * before it is tried again (or dead-lettered), so that whoever waits for the import learns why at once.
 */
export interface ImportFailed {
  dataset: DatasetName;
  month: string;
  sha256: string;
  replay?: string;
  /** Which delivery of the message failed, from 1. */
  attempt: number;
  /** How often the message is delivered before it goes to the dead letters. */
  attempts: number;
  error: string;
  /** Seconds until the next attempt; null when the message went to the dead letters. */
  retryInSeconds: number | null;
  at: string;
}

/** Published on `energylive.deadletter.<stage>` for a file or message that cannot be used. */
export interface DeadLetter {
  stage: 'parser' | 'importer';
  reason: string;
  message: string;
  dataset?: DatasetName | null;
  file?: { kind: string; name: string; key: string; version: string };
  month?: string;
  /** Importer: the content digest of the file that failed, and how often it was tried. */
  sha256?: string;
  attempts?: number;
  at: string;
}
