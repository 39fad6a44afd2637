import http from 'node:http';
import type { Duplex } from 'node:stream';

/** What a request is refused with before any route sees it. */
interface Refusal {
  status: number;
  code: string;
  error: string;
}

const MALFORMED = 'MALFORMED_REQUEST';

/** What is wrong with the request, by the parser's error, where a client can put it right. */
const PARSE_ERRORS = new Map<string, string>([
  ['HPE_INVALID_METHOD', 'the request method is not one this server knows (methods are upper-case)'],
  [
    'HPE_INVALID_URL',
    'the request target holds a character a URL may not hold as it is (non-ASCII, a space, a control character): percent-encode it',
  ],
  [
    'HPE_INVALID_HEADER_TOKEN',
    'a header holds a character HTTP does not allow in it (NUL, a control character)',
  ],
  ['HPE_LF_EXPECTED', 'a header holds a bare CR or LF'],
  ['HPE_CR_EXPECTED', 'a header holds a bare CR or LF'],
  ['HPE_INVALID_VERSION', 'only HTTP/1.0 and HTTP/1.1 are served'],
  ['HPE_INVALID_CONTENT_LENGTH', 'Content-Length is not a number'],
  ['HPE_UNEXPECTED_CONTENT_LENGTH', 'the request has Content-Length and Transfer-Encoding both'],
  [
    'HPE_INVALID_TRANSFER_ENCODING',
    'Transfer-Encoding must end in chunked, and may not come with Content-Length',
  ],
]);

/**
 * The answer to a request Node's HTTP parser gave up on; none to a connection that failed (ECONNRESET,
 * EPIPE…), which nobody would read.
 */
function refusalOf(err: NodeJS.ErrnoException): Refusal | undefined {
  const code = err.code ?? '';
  if (code === 'HPE_HEADER_OVERFLOW')
    return {
      status: 431,
      code: 'HEADERS_TOO_LARGE',
      error: `the request line and headers together may hold at most ${String(http.maxHeaderSize / 1024)} KiB`,
    };
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT')
    return { status: 408, code: 'REQUEST_TIMEOUT', error: 'the request did not arrive in time' };
  if (!code.startsWith('HPE_')) return undefined;
  return {
    status: 400,
    code: MALFORMED,
    error: PARSE_ERRORS.get(code) ?? 'the request is not valid HTTP/1.1',
  };
}

const HEADERS = {
  'Content-Type': 'application/json; charset=utf-8',
  'X-Content-Type-Options': 'nosniff',
  // What follows a refused request on the connection cannot be trusted to start a request of its own.
  Connection: 'close',
};

const bodyOf = (r: Refusal) => JSON.stringify({ error: r.error, code: r.code });

/** The whole answer as bytes for the socket: the parser left no request and no response to answer with. */
function rawAnswer(r: Refusal): string {
  const body = bodyOf(r);
  const lines = [
    `HTTP/1.1 ${String(r.status)} ${http.STATUS_CODES[r.status] ?? ''}`,
    ...Object.entries(HEADERS).map(([name, value]) => `${name}: ${value}`),
    `Content-Length: ${String(Buffer.byteLength(body))}`,
  ];
  return `${lines.join('\r\n')}\r\n\r\n${body}`;
}

function answer(res: http.ServerResponse, r: Refusal): void {
  res.writeHead(r.status, HEADERS);
  res.end(bodyOf(r));
}

/**
 * Whether the refusal can be written as the answer: nothing else is being answered on the connection, or
 * only this very request, whose body the parser gave up on, and nothing of that answer has gone out yet.
 * An answer to an earlier request (keep-alive pipelining) would take the refusal for its own, or have it
 * land inside it. Node's own `clientError` default looks at the same field of the socket; no public API
 * tells.
 */
function answerable(socket: Duplex): boolean {
  if (!socket.writable) return false;
  const res = (socket as Duplex & { _httpMessage?: http.ServerResponse | null })._httpMessage;
  return !res || (!res.headersSent && !res.req.complete);
}

function onClientError(err: NodeJS.ErrnoException, socket: Duplex): void {
  const refusal = refusalOf(err);
  if (refusal && answerable(socket)) {
    socket.end(rawAnswer(refusal), () => {
      socket.destroy();
    });
    return;
  }
  socket.destroy();
}

function onUnknownExpectation(_req: http.IncomingMessage, res: http.ServerResponse): void {
  answer(res, {
    status: 417,
    code: 'EXPECTATION_FAILED',
    error: 'the only Expect understood is 100-continue',
  });
}

/**
 * Node's HTTP server, with what Node refuses by itself (a request its parser cannot read, one over the
 * header size limit, an unknown `Expect`, HTTP/1.1 without `Host`) answered as a short JSON error like
 * every other refusal, instead of a bare status line without a type or body.
 */
export function createHttpServer(listener: http.RequestListener): http.Server {
  // Node answers a missing Host itself, bare: checked here instead.
  const server = http.createServer({ requireHostHeader: false }, (req, res) => {
    if (req.httpVersion === '1.1' && req.headers.host === undefined) {
      answer(res, { status: 400, code: MALFORMED, error: 'an HTTP/1.1 request must have a Host header' });
      return;
    }
    listener(req, res);
  });
  server.on('clientError', onClientError);
  server.on('checkExpectation', onUnknownExpectation);
  return server;
}
