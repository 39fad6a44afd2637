import { createHash } from 'node:crypto';
import { canonicalHeader, type DatasetSpec } from './datasets.js';
import { detectLayout, type LayoutName } from './layout.js';
import { countReject, totalRejected, type RejectCounts } from './reject-reasons.js';
import { MAX_ROW_BYTES, RowNormalizer, type RowSink } from './row-normalizer.js';
import { UnreadableFileError } from '../sources/unreadable-file-error.js';

/** Longest line kept for parsing; real lines are under 300 bytes. Longer ones are skipped, never buffered. */
export const MAX_LINE_BYTES = 64 * 1024;
const OUTPUT_CHUNK = 1 << 20;
const NL = 0x0a;
const CR = 0x0d;

export type FileErrorReason =
  'empty_file' | 'unrecognized_header' | 'wrong_dataset' | 'no_valid_rows' | 'unparseable';

/** A whole file that cannot be used. It goes to the dead-letter subject with this reason. */
export class FileError extends Error {
  constructor(
    readonly reason: FileErrorReason,
    message: string,
  ) {
    super(message);
  }
}

export interface ParseResult {
  dataset: DatasetSpec;
  layout: LayoutName;
  /** `YYYY-MM`, or null for a file with a header and no rows whose name does not say its month. */
  month: string | null;
  rows: number;
  rejected: RejectCounts;
  spreadsheetUpdateTimes: number;
  firstTs: string | null;
  lastTs: string | null;
  /** SHA-256 of the canonical text: equal data gives an equal digest whatever the source layout. */
  sha256: string;
  bytesIn: number;
  bytesOut: number;
}

export interface ParseOptions {
  /** The file's month from its name (`YYYY_MM_…`), when it has one. */
  month?: string | null;
  /** Refuse a file of another dataset (a source folder is per dataset). */
  expectDataset?: string;
  /** The time rows are checked against: none may be for a month after the next one. Default: now. */
  now?: Date;
  /** Receives the canonical bytes in order, header first; awaited, so a slow sink slows the parser. */
  write: (chunk: Buffer) => void | Promise<void>;
}

/** Month of a file from its name: official `2022_01_ActualTotalLoad_6.1.A.csv`, course `2022_01_07_10_…`. */
export function monthFromFileName(name: string): string | null {
  const m = /(?:^|\/)(\d{4})_(\d{2})_/.exec(name);
  if (!m) return null;
  const month = Number(m[2]);
  return month >= 1 && month <= 12 ? `${m[1]}-${m[2]}` : null;
}

/** The month after `now`'s, as YYYYMM: the last one a file may hold data for. */
export function latestMonthKey(now: Date): number {
  const next = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
  return next.getUTCFullYear() * 100 + next.getUTCMonth() + 1;
}

/**
 * Reads an ENTSO-E file as it streams in, validates each row and writes the canonical layout.
 * Works on bytes end to end; memory stays bounded by the chunk sizes and MAX_LINE_BYTES.
 *
 * Whatever the file holds, it either parses or fails with a FileError. An input that fails while it is
 * read fails with an UnreadableFileError, and an error of `write` (a full disk) is passed on as it is:
 * neither says anything about the content.
 */
export async function parseStream(
  input: AsyncIterable<Buffer | string>,
  options: ParseOptions,
): Promise<ParseResult> {
  const sinkErrors = new WeakSet<object>();
  try {
    return await parse(reading(input), {
      ...options,
      write: async (chunk) => {
        try {
          await options.write(chunk);
        } catch (err) {
          if (typeof err === 'object' && err !== null) sinkErrors.add(err);
          throw err;
        }
      },
    });
  } catch (err) {
    if (err instanceof FileError || err instanceof UnreadableFileError) throw err;
    if (typeof err === 'object' && err !== null && sinkErrors.has(err)) throw err;
    // A defect of the parser on this file: the file is refused with the cause, the process carries on.
    throw new FileError(
      'unparseable',
      `the parser failed on this file: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
}

/** The input's chunks; a failure to read the next one becomes an UnreadableFileError. */
async function* reading(input: AsyncIterable<Buffer | string>): AsyncGenerator<Buffer | string> {
  const iterator = input[Symbol.asyncIterator]();
  let done = false;
  try {
    for (;;) {
      let next: IteratorResult<Buffer | string>;
      try {
        next = await iterator.next();
      } catch (err) {
        done = true;
        const reason = err instanceof Error ? err.message : String(err);
        throw new UnreadableFileError(`the file could not be read to its end: ${reason}`, { cause: err });
      }
      if (next.done) {
        done = true;
        return;
      }
      yield next.value;
    }
  } finally {
    // The parser stopped early (a refused header): release the input, e.g. close the file.
    if (!done) await iterator.return?.();
  }
}

async function parse(input: AsyncIterable<Buffer | string>, options: ParseOptions): Promise<ParseResult> {
  const hash = createHash('sha256');
  const rejected: RejectCounts = {};
  // Assigned inside closures, which the compiler's narrowing does not follow.
  let normalizer = null as RowNormalizer | null;
  let dataset = null as DatasetSpec | null;
  let layoutName: LayoutName = 'snapshot';
  let rows = 0;
  let bytesIn = 0;
  let bytesOut = 0;
  let first = true;
  let hadBom = false;
  let carry: Buffer[] = [];
  let carryBytes = 0;
  let skippingLongLine = false;
  const sink: RowSink = { buf: Buffer.allocUnsafe(OUTPUT_CHUNK + MAX_ROW_BYTES), pos: 0 };

  const flush = async () => {
    if (sink.pos === 0) return;
    const chunk = sink.buf.subarray(0, sink.pos);
    sink.buf = Buffer.allocUnsafe(OUTPUT_CHUNK + MAX_ROW_BYTES);
    sink.pos = 0;
    hash.update(chunk);
    bytesOut += chunk.length;
    await options.write(chunk);
  };

  const lineTooLong = () => {
    if (normalizer === null) {
      throw new FileError('unrecognized_header', `the first line is longer than ${MAX_LINE_BYTES} bytes`);
    }
    countReject(rejected, 'line_too_long');
  };

  const header = (b: Buffer, start: number, end: number) => {
    const line = b.toString('utf8', start, end);
    const layout = detectLayout(line, hadBom);
    if (!layout) {
      throw new FileError(
        'unrecognized_header',
        `not an ENTSO-E load, generation or flows header: "${line.slice(0, 200)}"`,
      );
    }
    if (options.expectDataset && layout.dataset.name !== options.expectDataset) {
      throw new FileError(
        'wrong_dataset',
        `expected a ${options.expectDataset} file, found ${layout.dataset.name}`,
      );
    }
    dataset = layout.dataset;
    layoutName = layout.name;
    normalizer = new RowNormalizer(layout, options.month ?? null, latestMonthKey(options.now ?? new Date()));
    sink.pos += sink.buf.write(canonicalHeader(layout.dataset) + '\n', sink.pos);
  };

  const line = (b: Buffer, start: number, lineEnd: number) => {
    const end = lineEnd > start && b[lineEnd - 1] === CR ? lineEnd - 1 : lineEnd;
    if (end - start > MAX_LINE_BYTES) {
      lineTooLong();
      return;
    }
    if (normalizer === null) {
      header(b, start, end);
      return;
    }
    if (end === start) return;
    const reason = normalizer.normalize(b, start, end, sink);
    if (reason === null) rows++;
    else countReject(rejected, reason);
  };

  for await (const piece of input) {
    let chunk = typeof piece === 'string' ? Buffer.from(piece) : piece;
    bytesIn += chunk.length;
    if (first && chunk.length > 0) {
      first = false;
      if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) {
        hadBom = true;
        chunk = chunk.subarray(3);
      }
    }
    let start = 0;
    let nl = chunk.indexOf(NL);
    if (nl !== -1 && (carryBytes > 0 || skippingLongLine)) {
      // The line that began in an earlier chunk ends here.
      if (skippingLongLine) lineTooLong();
      else if (carryBytes + nl > MAX_LINE_BYTES) lineTooLong();
      else {
        const joined = Buffer.concat([...carry, chunk.subarray(0, nl)]);
        line(joined, 0, joined.length);
      }
      carry = [];
      carryBytes = 0;
      skippingLongLine = false;
      start = nl + 1;
      nl = chunk.indexOf(NL, start);
    }
    while (nl !== -1) {
      line(chunk, start, nl);
      if (sink.pos >= OUTPUT_CHUNK) await flush();
      start = nl + 1;
      nl = chunk.indexOf(NL, start);
    }
    if (start < chunk.length && !skippingLongLine) {
      carryBytes += chunk.length - start;
      if (carryBytes > MAX_LINE_BYTES) {
        carry = [];
        carryBytes = 0;
        skippingLongLine = true;
      } else carry.push(Buffer.from(chunk.subarray(start)));
    }
    if (sink.pos >= OUTPUT_CHUNK) await flush();
  }
  if (skippingLongLine) lineTooLong();
  else if (carryBytes > 0) {
    const last = Buffer.concat(carry);
    line(last, 0, last.length);
  }

  if (bytesIn === 0) throw new FileError('empty_file', 'the file is empty');
  if (normalizer === null || dataset === null)
    throw new FileError('unrecognized_header', 'the file has no header line');
  const n: RowNormalizer = normalizer;
  if (rows === 0 && totalRejected(rejected) > 0) {
    throw new FileError(
      'no_valid_rows',
      `none of ${totalRejected(rejected)} rows is valid: ${JSON.stringify(rejected)}`,
    );
  }
  await flush();
  return {
    dataset,
    layout: layoutName,
    month: n.month,
    rows,
    rejected,
    spreadsheetUpdateTimes: n.spreadsheetUpdateTimes,
    firstTs: n.firstTs,
    lastTs: n.lastTs,
    sha256: hash.digest('hex'),
    bytesIn,
    bytesOut,
  };
}
