import type { JetStreamClient, JsMsg } from 'nats';
import type { DatasetName } from '../../lib/config/env.js';
import type { FileReady, ImportFailed } from '../../lib/pipeline/messages.js';
import { publishDeadLetter } from '../../lib/pipeline/publish-file.js';
import { subjects } from '../../lib/pipeline/subjects.js';

/** What becomes of a delivery: acknowledged, delivered again after a wait, or given up (dead-lettered). */
export type Verdict = { kind: 'ack' } | { kind: 'retry'; delayMs: number } | { kind: 'dead_lettered' };

/** A ClickHouse error can quote a whole statement; the first part says what went wrong. */
const MAX_ERROR_LENGTH = 2000;

export interface FailedImport {
  js: JetStreamClient;
  dataset: DatasetName;
  payload: unknown;
  /** Which delivery of the message this is, from 1. */
  attempt: number;
  /** Stream sequence of the message: one dead letter per message, however often this runs. */
  seq: number;
  error: string;
  retryDelaysMs: readonly number[];
}

export function errorText(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.length > MAX_ERROR_LENGTH ? `${text.slice(0, MAX_ERROR_LENGTH)}…` : text;
}

/**
 * A failed import: tried again after the next of the configured waits (a full disk or an unreachable
 * ClickHouse mostly recovers within minutes, and an immediate retry only fails again), or, after the
 * last attempt, moved to the dead letters with the error, for an operator's `energylive replay`. Each
 * attempt is announced on `energylive.importfailed.<dataset>.<month>` for whoever waits for the import.
 *
 * The wait is a NAK with a delay, not the consumer's `backoff`: in JetStream a `backoff` also replaces
 * the ack wait of every redelivery, which would hold a killed importer's message for as long.
 */
export async function failedImport(f: FailedImport): Promise<Verdict> {
  const attempts = f.retryDelaysMs.length + 1;
  const delayMs = f.attempt >= attempts ? null : (f.retryDelaysMs[f.attempt - 1] as number);
  const { month, sha256 } = await announceFailure(f, attempts, delayMs);
  if (delayMs !== null) return { kind: 'retry', delayMs };
  const m = fields(f.payload);
  await publishDeadLetter(
    f.js,
    {
      stage: 'importer',
      reason: 'import_failed',
      message: f.error,
      dataset: f.dataset,
      ...(month !== null ? { month } : {}),
      ...(sha256 ? { sha256 } : {}),
      attempts: f.attempt,
      ...(m.source ? { file: m.source } : {}),
      at: new Date().toISOString(),
    },
    `importer|${f.dataset}|${f.seq}|${sha256}`,
  );
  return { kind: 'dead_lettered' };
}

function fields(payload: unknown): Partial<FileReady> {
  return typeof payload === 'object' && payload !== null ? payload : {};
}

/**
 * Publishes an "import failed" event for a failed delivery: `delayMs` until the next attempt, null when
 * there is none. A message without a month cannot be announced to anyone waiting for one.
 */
export async function announceFailure(
  f: Omit<FailedImport, 'retryDelaysMs'>,
  attempts: number,
  delayMs: number | null,
): Promise<{ month: string | null; sha256: string }> {
  const m = fields(f.payload);
  const month = typeof m.month === 'string' && /^\d{4}-\d{2}$/.test(m.month) ? m.month : null;
  const sha256 = typeof m.sha256 === 'string' ? m.sha256 : '';
  if (month === null) return { month, sha256 };
  const event: ImportFailed = {
    dataset: f.dataset,
    month,
    sha256,
    ...(typeof m.replay === 'string' ? { replay: m.replay } : {}),
    attempt: f.attempt,
    attempts,
    error: f.error,
    retryInSeconds: delayMs === null ? null : delayMs / 1000,
    at: new Date().toISOString(),
  };
  // Telling a waiting CLI is a courtesy: the retry or the dead letter must happen even if this fails.
  await f.js
    .publish(subjects.importFailed(f.dataset, month), new TextEncoder().encode(JSON.stringify(event)), {
      msgID: `${f.dataset}.${month}.${f.seq}.${f.attempt}`,
    })
    .catch(() => undefined);
  return { month, sha256 };
}

/**
 * Tells JetStream the verdict. `ack` is left to @moleculer/channels, which acknowledges a message whose
 * handler returns; after a nak or a term that acknowledgement is ignored (nats.js answers a message once).
 */
export function applyVerdict(raw: JsMsg, verdict: Verdict): void {
  if (verdict.kind === 'retry') raw.nak(verdict.delayMs);
  else if (verdict.kind === 'dead_lettered') raw.term();
}
