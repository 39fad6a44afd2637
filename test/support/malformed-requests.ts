import { expect } from 'chai';
import { requestHead, sendRaw, type RawOutcome } from './raw-http.js';

/** A request Node's HTTP server refuses before any of EnergyLive's code sees it, and the status it gets. */
export interface MalformedRequest {
  label: string;
  head: Buffer;
  status: number;
}

const latin1 = (text: string) => Buffer.from(text, 'latin1');
/** Over Node's default limit of 16 KiB for the request line and headers together. */
const OVER_HEADER_LIMIT = 17 * 1024;

/** One of each kind of request Node's parser (or Node's own checks) refuses, for a path of the server. */
export function malformedRequests(path: string): MalformedRequest[] {
  const target = latin1(path);
  const head = (method: string, headers: [string, string | Buffer][] = [['Host', 'localhost']]) =>
    requestHead(method, target, [...headers, ['Connection', 'close']]);
  return [
    {
      label: 'a URL over 16 KiB',
      head: requestHead('GET', latin1(`${path}?x=${'a'.repeat(OVER_HEADER_LIMIT)}`), [
        ['Host', 'localhost'],
        ['Connection', 'close'],
      ]),
      status: 431,
    },
    {
      label: 'a header over 16 KiB',
      head: head('GET', [
        ['Host', 'localhost'],
        ['X-Big', 'A'.repeat(OVER_HEADER_LIMIT)],
      ]),
      status: 431,
    },
    {
      label: 'NUL in a header',
      head: head('GET', [
        ['Host', 'localhost'],
        ['X-Nul', Buffer.from('a\u0000b')],
      ]),
      status: 400,
    },
    {
      label: 'a bare CR in a header',
      head: head('GET', [
        ['Host', 'localhost'],
        ['X-Cr', Buffer.from('a\rb')],
      ]),
      status: 400,
    },
    {
      label: 'raw non-ASCII in the path',
      head: requestHead('GET', Buffer.concat([target, Buffer.from('/DÉ', 'utf8')]), [
        ['Host', 'localhost'],
        ['Connection', 'close'],
      ]),
      status: 400,
    },
    { label: 'a method Node does not know (FOO)', head: head('FOO'), status: 400 },
    { label: 'a lower-case method', head: head('get'), status: 400 },
    {
      label: 'HTTP/3.0',
      head: latin1(`GET ${path} HTTP/3.0\r\nHost: localhost\r\nConnection: close\r\n\r\n`),
      status: 400,
    },
    {
      label: 'Content-Length with Transfer-Encoding',
      head: head('POST', [
        ['Host', 'localhost'],
        ['Content-Length', '5'],
        ['Transfer-Encoding', 'chunked'],
      ]),
      status: 400,
    },
    { label: 'HTTP/1.1 without Host', head: head('GET', []), status: 400 },
    {
      label: 'an Expect other than 100-continue',
      head: head('GET', [
        ['Host', 'localhost'],
        ['Expect', 'x-unknown'],
      ]),
      status: 417,
    },
  ];
}

function header(outcome: RawOutcome, name: string): string | undefined {
  return outcome.response?.headers.find(([n]) => n === name)?.[1];
}

/**
 * Sends every malformed request and expects each to be answered with its status as a short JSON error
 * `{error, code}`, nosniff, and the connection closed; lists every one that is not.
 */
export async function expectJsonRefusals(port: number, path: string): Promise<void> {
  const wrong: string[] = [];
  for (const c of malformedRequests(path)) {
    const outcome = await sendRaw(port, { head: c.head }, { timeoutMs: 10_000 });
    const res = outcome.response;
    let body: unknown;
    try {
      body = JSON.parse(res?.body.toString('utf8') ?? '');
    } catch {
      body = undefined;
    }
    const { error, code } = (body ?? {}) as { error?: unknown; code?: unknown };
    const ok =
      res?.status === c.status &&
      /^application\/json/.test(header(outcome, 'content-type') ?? '') &&
      typeof error === 'string' &&
      typeof code === 'string' &&
      header(outcome, 'x-content-type-options') === 'nosniff' &&
      header(outcome, 'connection') === 'close';
    if (!ok)
      wrong.push(
        `${c.label}: ${res ? `${res.status} ${JSON.stringify(res.headers)} ${JSON.stringify(res.body.toString('utf8'))}` : (outcome.error ?? 'no answer')}`,
      );
  }
  expect(wrong).to.deep.equal([]);
}
