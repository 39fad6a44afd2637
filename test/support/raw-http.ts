import net from 'node:net';

/** A request body: bytes as they are, or `size` bytes made of `chunk` repeated (never held whole). */
export type RawBody = Buffer | { chunk: Buffer; size: number };

export interface RawRequest {
  /** Everything up to and including the blank line that ends the headers, exactly as sent. */
  head: Buffer;
  body?: RawBody;
  /** Send the body in HTTP/1.1 chunked encoding (the head must say so). */
  chunked?: boolean;
}

export interface RawResponse {
  status: number;
  reason: string;
  /** Header names lower-cased, in the order received. */
  headers: [string, string][];
  body: Buffer;
  /** The body went past `maxBodyBytes`: the rest was not read. */
  truncated: boolean;
}

export interface RawOutcome {
  response?: RawResponse;
  /** Why there is no complete answer: `timeout`, `closed without an answer`, a socket error. */
  error?: string;
  /** Body bytes written before the first byte of the answer arrived (all of them if it came after). */
  bodyBytesBeforeAnswer: number;
  bodyBytes: number;
  ms: number;
}

export interface RawOptions {
  timeoutMs?: number;
  /** Stop reading a body past this many bytes; default 16 MiB. */
  maxBodyBytes?: number;
}

const HEAD_END = Buffer.from('\r\n\r\n');
const WRITE_PIECE = 64 * 1024;

function bodySize(body: RawBody | undefined): number {
  if (!body) return 0;
  return Buffer.isBuffer(body) ? body.length : body.size;
}

/** `chunk` repeated to `size` bytes, in pieces of at most WRITE_PIECE. */
function* pieces(body: RawBody): Generator<Buffer> {
  if (Buffer.isBuffer(body)) {
    for (let at = 0; at < body.length; at += WRITE_PIECE) yield body.subarray(at, at + WRITE_PIECE);
    return;
  }
  const unit = Buffer.alloc(WRITE_PIECE);
  for (let at = 0; at < WRITE_PIECE; at += body.chunk.length) body.chunk.copy(unit, at);
  for (let left = body.size; left > 0; left -= WRITE_PIECE)
    yield unit.subarray(0, Math.min(left, WRITE_PIECE));
}

function parseHead(head: string): Pick<RawResponse, 'status' | 'reason' | 'headers'> | null {
  const lines = head.split('\r\n');
  const m = /^HTTP\/1\.[01] (\d{3})(?: (.*))?$/.exec(lines[0] ?? '');
  if (!m) return null;
  const headers: [string, string][] = [];
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.push([line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()]);
  }
  return { status: Number(m[1]), reason: m[2] ?? '', headers };
}

/** The final answer's head and what follows it, past any interim `1xx` answers (`100 Continue`). */
function splitAnswer(
  all: Buffer,
): { head: Pick<RawResponse, 'status' | 'reason' | 'headers'> | null; rest: Buffer } | null {
  let at = 0;
  for (;;) {
    const headEnd = all.indexOf(HEAD_END, at);
    if (headEnd < 0) return null;
    const head = parseHead(all.toString('latin1', at, headEnd));
    if (head && head.status >= 100 && head.status < 200 && head.status !== 101) {
      at = headEnd + 4;
      continue;
    }
    return { head, rest: all.subarray(headEnd + 4) };
  }
}

/** The body of a chunked answer, as far as it arrived; null while the last chunk is still missing. */
function dechunk(raw: Buffer, complete: boolean): Buffer | null {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const eol = raw.indexOf('\r\n', at);
    if (eol < 0) return complete ? Buffer.concat(parts) : null;
    const size = parseInt(raw.toString('latin1', at, eol).split(';')[0] ?? '', 16);
    if (!Number.isFinite(size)) return Buffer.concat(parts);
    if (size === 0) return Buffer.concat(parts);
    if (eol + 2 + size > raw.length) {
      if (!complete) return null;
      parts.push(raw.subarray(eol + 2));
      return Buffer.concat(parts);
    }
    parts.push(raw.subarray(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
}

/**
 * Sends bytes exactly as given to a local HTTP server and reads one answer, so a test can send what no
 * HTTP client library would (CR/LF or NUL in a header, invalid UTF-8 in the path, an unknown method, a
 * body larger than it means to finish). The request should carry `Connection: close`. A body is written
 * in pieces and writing stops as soon as an answer begins, which tells a server that refuses a body
 * without reading it from one that reads it all first. An event stream is read only until its first
 * event.
 */
export function sendRaw(port: number, request: RawRequest, options: RawOptions = {}): Promise<RawOutcome> {
  const timeoutMs = options.timeoutMs ?? 20_000;
  const maxBodyBytes = options.maxBodyBytes ?? 16 * 1024 * 1024;
  const started = Date.now();
  const isHead = request.head.subarray(0, 5).toString('latin1') === 'HEAD ';
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    const received: Buffer[] = [];
    let receivedBytes = 0;
    let answered = false;
    let bodyBytes = 0;
    let bodyBytesBeforeAnswer = -1;
    let settled = false;
    let socketError: string | undefined;

    const finish = (complete: boolean, error?: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      const outcome: RawOutcome = {
        bodyBytesBeforeAnswer: bodyBytesBeforeAnswer < 0 ? bodyBytes : bodyBytesBeforeAnswer,
        bodyBytes,
        ms: Date.now() - started,
      };
      const answer = splitAnswer(Buffer.concat(received));
      const head = answer?.head;
      if (!answer || !head) {
        resolve({ ...outcome, error: error ?? socketError ?? 'closed without an answer' });
        return;
      }
      const rawBody = answer.rest;
      const chunked = head.headers.some(([n, v]) => n === 'transfer-encoding' && /chunked/i.test(v));
      const body = chunked ? (dechunk(rawBody, true) ?? rawBody) : rawBody;
      const length = head.headers.find(([n]) => n === 'content-length')?.[1];
      const short = !isHead && length !== undefined && body.length < Number(length);
      const truncated = !complete || short || body.length > maxBodyBytes;
      resolve({
        ...outcome,
        response: { ...head, body: body.subarray(0, maxBodyBytes), truncated },
        ...(error && !complete ? { error } : {}),
      });
    };

    /** Whether what arrived so far is a whole answer (or as much of it as the test wants). */
    const answerComplete = (): boolean => {
      const answer = splitAnswer(Buffer.concat(received));
      if (!answer) return false;
      const { head, rest } = answer;
      if (!head) return true;
      const header = (name: string) => head.headers.find(([n]) => n === name)?.[1];
      if (head.status === 204 || head.status === 304 || isHead) return true;
      if (/text\/event-stream/i.test(header('content-type') ?? '')) return rest.includes('\n\n');
      if (/chunked/i.test(header('transfer-encoding') ?? '')) return dechunk(rest, false) !== null;
      const length = header('content-length');
      if (length !== undefined) return rest.length >= Number(length);
      return false;
    };

    const timer = setTimeout(() => {
      finish(false, `no complete answer within ${timeoutMs} ms`);
    }, timeoutMs);

    socket.on('data', (data: Buffer) => {
      if (!answered && !/^HTTP\/1\.[01] 100 /.test(data.toString('latin1', 0, 13))) {
        answered = true;
        bodyBytesBeforeAnswer = bodyBytes;
      }
      if (receivedBytes <= maxBodyBytes + 65536) {
        received.push(data);
        receivedBytes += data.length;
      } else {
        finish(false, 'answer larger than the test reads');
        return;
      }
      if (answerComplete()) finish(true);
    });
    socket.on('end', () => {
      finish(true);
    });
    socket.on('close', () => {
      finish(true);
    });
    socket.on('error', (err: NodeJS.ErrnoException) => {
      // A server may close while a body is still being written; its answer may still be in the buffer.
      socketError = err.code ?? err.message;
    });

    const write = (chunk: Buffer): Promise<boolean> =>
      new Promise((done) => {
        if (socket.destroyed) {
          done(false);
          return;
        }
        if (socket.write(chunk)) done(true);
        else {
          const onDrain = () => {
            socket.off('close', onClose);
            done(true);
          };
          const onClose = () => {
            socket.off('drain', onDrain);
            done(false);
          };
          socket.once('drain', onDrain);
          socket.once('close', onClose);
        }
      });

    socket.once('connect', () => {
      void (async () => {
        if (!(await write(request.head))) return;
        const body = request.body;
        if (body && bodySize(body) > 0) {
          for (const piece of pieces(body)) {
            if (answered || settled) return;
            const framed = request.chunked
              ? Buffer.concat([Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from('\r\n')])
              : piece;
            if (!(await write(framed))) return;
            bodyBytes += piece.length;
          }
        }
        if (request.chunked && !answered && !settled) await write(Buffer.from('0\r\n\r\n'));
      })();
    });
  });
}

/** A request's head: request line, headers as given (values may hold any bytes), blank line. */
export function requestHead(
  method: string | Buffer,
  target: Buffer,
  headers: [string, string | Buffer][],
): Buffer {
  const parts: Buffer[] = [
    Buffer.isBuffer(method) ? method : Buffer.from(method, 'latin1'),
    Buffer.from(' '),
    target,
    Buffer.from(' HTTP/1.1\r\n'),
  ];
  for (const [name, value] of headers) {
    parts.push(
      Buffer.from(`${name}: `, 'latin1'),
      Buffer.isBuffer(value) ? value : Buffer.from(value, 'utf8'),
    );
    parts.push(Buffer.from('\r\n'));
  }
  parts.push(Buffer.from('\r\n'));
  return Buffer.concat(parts);
}

/** How a request looks in a failure message: escaped, with a large body described instead of shown. */
export function describeRequest(request: RawRequest, limit = 2000): string {
  const head = JSON.stringify(request.head.toString('latin1'));
  const body = request.body;
  let shown = '';
  if (body) {
    if (!Buffer.isBuffer(body))
      shown = ` + body of ${body.size} bytes: ${JSON.stringify(body.chunk.toString('latin1').slice(0, 40))} repeated`;
    else if (body.length > limit)
      shown = ` + body of ${body.length} bytes starting ${JSON.stringify(body.toString('latin1', 0, 200))}`;
    else shown = ` + body ${JSON.stringify(body.toString('latin1'))}`;
    if (request.chunked) shown += ' (chunked)';
  }
  return `${head.length > limit ? `${head.slice(0, limit)}…(${request.head.length} bytes)` : head}${shown}`;
}
