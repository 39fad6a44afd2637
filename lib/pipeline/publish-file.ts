import fs from 'node:fs';
import path from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import { headers as natsHeaders, type JetStreamClient } from 'nats';
import type { DatasetName } from '../config/env.js';
import { FileError, monthFromFileName } from '../entsoe/parse-stream.js';
import { writeCanonicalFile } from '../ingest/canonical-file.js';
import { objectName, type FileStore } from '../storage/file-store.js';
import type { DeadLetter, FileReady } from './messages.js';
import { pruneMonthFiles } from './prune-files.js';
import { subjects } from './subjects.js';

export interface SourceFileRef {
  kind: string;
  name: string;
  key: string;
  version: string;
}

export type PublishOutcome =
  | { status: 'published'; message: FileReady; duplicate: boolean; parseMs: number; storeMs: number }
  | { status: 'empty'; dataset: DatasetName; month: string | null }
  | { status: 'rejected'; deadLetter: DeadLetter };

export interface PublishFileOptions {
  js: JetStreamClient;
  store: FileStore;
  /** Where the canonical file is written before it is uploaded. */
  tmpDir: string;
  expectDataset?: DatasetName;
}

const encode = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

/**
 * Parser side of the pipeline for one file: parse and validate while streaming, write the canonical
 * gzip file, store it, and publish "file ready" with the content digest as message id. A file that
 * cannot be used is published to the dead-letter subject instead, with its reason; nothing else happens.
 * A file that could not be read (UnreadableFileError) and a failure of the disk or of NATS are thrown:
 * the caller decides whether to try again.
 */
export async function publishFile(
  input: AsyncIterable<Buffer | string>,
  file: SourceFileRef,
  options: PublishFileOptions,
): Promise<PublishOutcome> {
  await fs.promises.mkdir(options.tmpDir, { recursive: true });
  const tmp = path.join(options.tmpDir, `parse-${randomBytes(6).toString('hex')}.tsv.gz`);
  const started = Date.now();
  try {
    const canonical = await writeCanonicalFile(input, tmp, {
      month: monthFromFileName(file.name),
      ...(options.expectDataset ? { expectDataset: options.expectDataset } : {}),
    });
    const dataset = canonical.dataset.name;
    if (canonical.rows === 0 || canonical.month === null)
      return { status: 'empty', dataset, month: canonical.month };
    const parsed = Date.now();
    const object = await options.store.put(objectName(dataset, canonical.month, canonical.sha256), tmp);
    const message: FileReady = {
      dataset,
      month: canonical.month,
      sha256: canonical.sha256,
      object,
      layout: canonical.layout,
      rows: canonical.rows,
      rejected: canonical.rejected,
      spreadsheetUpdateTimes: canonical.spreadsheetUpdateTimes,
      firstTs: canonical.firstTs,
      lastTs: canonical.lastTs,
      source: file,
      parsedAt: new Date().toISOString(),
    };
    const ack = await options.js.publish(subjects.fileReady(dataset, canonical.month), encode(message), {
      msgID: `${dataset}.${canonical.month}.${canonical.sha256}`,
    });
    if (!ack.duplicate) await pruneMonthFiles(options.js, options.store, dataset, canonical.month);
    return {
      status: 'published',
      message,
      duplicate: ack.duplicate,
      parseMs: parsed - started,
      storeMs: Date.now() - parsed,
    };
  } catch (err) {
    if (!(err instanceof FileError)) throw err;
    const deadLetter: DeadLetter = {
      stage: 'parser',
      reason: err.reason,
      message: err.message,
      dataset: options.expectDataset ?? null,
      file,
      at: new Date().toISOString(),
    };
    await publishDeadLetter(options.js, deadLetter, `${file.key}|${file.version}|${err.reason}`);
    return { status: 'rejected', deadLetter };
  } finally {
    await fs.promises.rm(tmp, { force: true });
  }
}

/**
 * Dead-letters a source file that could not be read at all (a broken archive, a read error), once per
 * version of it.
 */
export async function deadLetterUnreadable(
  js: JetStreamClient,
  file: SourceFileRef,
  dataset: DatasetName | null,
  message: string,
): Promise<DeadLetter> {
  const deadLetter: DeadLetter = {
    stage: 'parser',
    reason: 'unreadable',
    message,
    dataset,
    file,
    at: new Date().toISOString(),
  };
  await publishDeadLetter(js, deadLetter, `${file.key}|${file.version}|unreadable`);
  return deadLetter;
}

export async function publishDeadLetter(
  js: JetStreamClient,
  deadLetter: DeadLetter,
  identity: string,
): Promise<void> {
  const h = natsHeaders();
  h.set('EnergyLive-Reason', deadLetter.reason);
  await js.publish(subjects.deadLetter(deadLetter.stage), encode(deadLetter), {
    msgID: createHash('sha256').update(identity).digest('hex'),
    headers: h,
  });
}
