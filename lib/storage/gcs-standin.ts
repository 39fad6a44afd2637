import { createHash } from 'node:crypto';
import http from 'node:http';
import { CRC32C } from '@google-cloud/storage';
import { listen } from '../net/listen.js';

export interface GcsStandinOptions {
  port?: number;
  host?: string;
  bucket: string;
  /** Most objects per list page; small values make tests walk `nextPageToken`. */
  pageSize?: number;
}

export interface GcsStandinRequest {
  method: string;
  /** Path with its query string, as the client sent it. */
  path: string;
  status: number;
}

interface StoredObject {
  name: string;
  content: Buffer;
  contentType: string;
  generation: string;
  created: string;
  /** Checksums of the content as uploaded; `corrupt()` leaves them alone, as damage at rest would. */
  crc32c: string;
  md5Hash: string;
}

interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: Buffer | string;
}

class HttpProblem extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly reason: string,
  ) {
    super(message);
  }
}

// What GCS itself sends; the client must cope with the upper-case charset.
const JSON_CONTENT_TYPE = 'application/json; charset=UTF-8';
const DEFAULT_PAGE_SIZE = 1000;

/**
 * A local stand-in for the Google Cloud Storage JSON API, for tests: the requests `@google-cloud/storage`
 * makes for simple (multipart) uploads, metadata, media downloads, deletes and prefix listings of one
 * bucket, with objects kept in memory. Point a client at it with
 * `new Storage({ apiEndpoint: standin.url, projectId: 'test' })`; a custom endpoint skips Google auth.
 * Anything else is answered 501 and kept in `unhandled`, so a test can show what the client asked for.
 */
export class GcsStandin {
  readonly bucket: string;
  /** Every request answered, oldest first. */
  readonly requests: GcsStandinRequest[] = [];
  private readonly server: http.Server;
  private readonly objects = new Map<string, StoredObject>();
  private readonly pageSize: number;
  private baseUrl = '';
  private lastGeneration = 0;

  private constructor(options: GcsStandinOptions) {
    this.bucket = options.bucket;
    this.pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
    this.server = http.createServer((req, res) => {
      void this.handle(req, res);
    });
  }

  static async start(options: GcsStandinOptions): Promise<GcsStandin> {
    const standin = new GcsStandin(options);
    standin.baseUrl = (await listen(standin.server, options.port ?? 0, options.host ?? '127.0.0.1')).url;
    return standin;
  }

  /** The `apiEndpoint` of a client. */
  get url(): string {
    return this.baseUrl;
  }

  /** Requests outside the supported subset of the API; a test that expects none can print these. */
  get unhandled(): GcsStandinRequest[] {
    return this.requests.filter((r) => r.status === 501);
  }

  /** Stored content of an object, or undefined when there is none. */
  content(name: string): Buffer | undefined {
    return this.objects.get(name)?.content;
  }

  /** Flips the bits of one byte of a stored object without touching its checksums. */
  corrupt(name: string, offset = 0): void {
    const object = this.objects.get(name);
    if (!object) throw new Error(`no object ${name} to corrupt`);
    if (offset < 0 || offset >= object.content.length) throw new Error(`offset ${offset} outside ${name}`);
    object.content[offset] = (object.content[offset] ?? 0) ^ 0xff;
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => {
      this.server.close(() => {
        resolve();
      });
    });
    // The client keeps connections alive; without this, close() would wait for them to time out.
    this.server.closeAllConnections();
    await closed;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://standin');
    let reply: Reply;
    try {
      const body = await readBody(req);
      reply = this.route(method, url, req.headers['content-type'], body);
    } catch (err) {
      reply =
        err instanceof HttpProblem
          ? errorReply(err.status, err.message, err.reason)
          : errorReply(500, err instanceof Error ? err.message : String(err), 'backendError');
    }
    this.requests.push({ method, path: req.url ?? '/', status: reply.status });
    res.writeHead(reply.status, reply.headers);
    res.end(reply.body);
  }

  private route(method: string, url: URL, contentType: string | undefined, body: Buffer): Reply {
    const upload = /^\/upload\/storage\/v1\/b\/([^/]+)\/o$/.exec(url.pathname);
    if (upload && method === 'POST') {
      this.checkBucket(upload[1]);
      if (url.searchParams.get('uploadType') !== 'multipart') throw notImplemented(method, url);
      return this.insert(url, contentType, body);
    }
    const list = /^\/storage\/v1\/b\/([^/]+)\/o$/.exec(url.pathname);
    if (list && method === 'GET') {
      this.checkBucket(list[1]);
      return this.list(url);
    }
    const object = /^\/storage\/v1\/b\/([^/]+)\/o\/(.+)$/.exec(url.pathname);
    if (object) {
      this.checkBucket(object[1]);
      const name = decodeURIComponent(object[2] ?? '');
      if (method === 'GET')
        return url.searchParams.get('alt') === 'media' ? this.media(name) : this.metadata(name);
      if (method === 'DELETE') {
        this.find(name);
        this.objects.delete(name);
        return { status: 204 };
      }
    }
    throw notImplemented(method, url);
  }

  private checkBucket(encoded: string | undefined): void {
    const bucket = decodeURIComponent(encoded ?? '');
    if (bucket !== this.bucket)
      throw new HttpProblem(404, 'The specified bucket does not exist.', 'notFound');
  }

  private find(name: string): StoredObject {
    const object = this.objects.get(name);
    if (!object) throw new HttpProblem(404, `No such object: ${this.bucket}/${name}`, 'notFound');
    return object;
  }

  /** A simple upload: a multipart/related body of JSON metadata, then the media. */
  private insert(url: URL, contentType: string | undefined, body: Buffer): Reply {
    const boundary = /^multipart\/related;\s*boundary="?([^";]+)"?/i.exec(contentType ?? '')?.[1];
    if (!boundary) throw new HttpProblem(400, 'expected a multipart/related body', 'invalid');
    const [metadataPart, mediaPart, ...rest] = parseMultipart(body, boundary);
    if (!metadataPart || !mediaPart || rest.length > 0)
      throw new HttpProblem(400, 'expected two parts, metadata and media', 'invalid');
    const metadata = parseJson(metadataPart.body) as { name?: unknown; contentType?: unknown };
    const name = typeof metadata.name === 'string' ? metadata.name : url.searchParams.get('name');
    if (!name) throw new HttpProblem(400, 'Required', 'required');
    const crc32c = new CRC32C();
    crc32c.update(mediaPart.body);
    const object: StoredObject = {
      name,
      content: mediaPart.body,
      contentType:
        typeof metadata.contentType === 'string'
          ? metadata.contentType
          : (mediaPart.headers['content-type'] ?? 'application/octet-stream'),
      generation: this.nextGeneration(),
      created: new Date().toISOString(),
      crc32c: crc32c.toString(),
      md5Hash: createHash('md5').update(mediaPart.body).digest('base64'),
    };
    this.objects.set(name, object);
    return jsonReply(200, this.resource(object));
  }

  /** Microseconds since the epoch like GCS's, but always growing, even for two uploads in a millisecond. */
  private nextGeneration(): string {
    this.lastGeneration = Math.max(this.lastGeneration + 1, Date.now() * 1000);
    return String(this.lastGeneration);
  }

  private metadata(name: string): Reply {
    return jsonReply(200, this.resource(this.find(name)));
  }

  private media(name: string): Reply {
    const object = this.find(name);
    return {
      status: 200,
      headers: {
        'Content-Type': object.contentType,
        'Content-Length': String(object.content.length),
        'x-goog-hash': `crc32c=${object.crc32c},md5=${object.md5Hash}`,
        'x-goog-generation': object.generation,
        // The client checks hashes only when it knows the bytes arrive as they were stored.
        'x-goog-stored-content-encoding': 'identity',
        'x-goog-stored-content-length': String(object.content.length),
      },
      body: object.content,
    };
  }

  private list(url: URL): Reply {
    const prefix = url.searchParams.get('prefix') ?? '';
    const maxResults = Number(url.searchParams.get('maxResults') ?? this.pageSize);
    const pageSize = Math.min(this.pageSize, maxResults > 0 ? maxResults : this.pageSize);
    // GCS's page tokens are opaque; here one is the base64 of the last name already returned.
    const token = url.searchParams.get('pageToken');
    const after = token ? Buffer.from(token, 'base64').toString('utf8') : null;
    const names = [...this.objects.keys()]
      .filter((n) => n.startsWith(prefix) && (after === null || n > after))
      .sort();
    const page = names.slice(0, pageSize);
    const last = page.at(-1);
    return jsonReply(200, {
      kind: 'storage#objects',
      ...(page.length > 0 ? { items: page.map((n) => this.resource(this.find(n))) } : {}),
      ...(names.length > page.length && last !== undefined
        ? { nextPageToken: Buffer.from(last).toString('base64') }
        : {}),
    });
  }

  private resource(object: StoredObject): Record<string, string> {
    const path = `b/${encodeURIComponent(this.bucket)}/o/${encodeURIComponent(object.name)}`;
    return {
      kind: 'storage#object',
      id: `${this.bucket}/${object.name}/${object.generation}`,
      selfLink: `${this.baseUrl}/storage/v1/${path}`,
      mediaLink: `${this.baseUrl}/download/storage/v1/${path}?generation=${object.generation}&alt=media`,
      name: object.name,
      bucket: this.bucket,
      generation: object.generation,
      metageneration: '1',
      contentType: object.contentType,
      storageClass: 'STANDARD',
      size: String(object.content.length),
      md5Hash: object.md5Hash,
      crc32c: object.crc32c,
      etag: object.md5Hash,
      timeCreated: object.created,
      updated: object.created,
      timeStorageClassUpdated: object.created,
    };
  }
}

function notImplemented(method: string, url: URL): HttpProblem {
  return new HttpProblem(
    501,
    `GCS stand-in does not implement ${method} ${url.pathname}${url.search}`,
    'notImplemented',
  );
}

function jsonReply(status: number, value: unknown): Reply {
  return { status, headers: { 'Content-Type': JSON_CONTENT_TYPE }, body: JSON.stringify(value) };
}

/** The error body GCS sends, which the client turns into an ApiError with `code` and `message`. */
function errorReply(status: number, message: string, reason: string): Reply {
  return jsonReply(status, {
    error: { code: status, message, errors: [{ message, domain: 'global', reason }] },
  });
}

async function readBody(req: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

function parseJson(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString('utf8')) as unknown;
  } catch {
    throw new HttpProblem(400, 'metadata part is not JSON', 'parseError');
  }
}

interface Part {
  headers: Record<string, string>;
  body: Buffer;
}

/** Splits a multipart body (RFC 2046) into parts; media bytes are kept as they are. */
function parseMultipart(body: Buffer, boundary: string): Part[] {
  const delimiter = Buffer.from(`--${boundary}`);
  const nextDelimiter = Buffer.from(`\r\n--${boundary}`);
  const parts: Part[] = [];
  let at = body.indexOf(delimiter);
  if (at < 0) throw new HttpProblem(400, 'multipart boundary not found', 'invalid');
  at += delimiter.length;
  while (body.subarray(at, at + 2).toString('latin1') !== '--') {
    const end = body.indexOf(nextDelimiter, at);
    if (end < 0) throw new HttpProblem(400, 'multipart body is not terminated', 'invalid');
    // The part starts with the line break that ends the delimiter line.
    const part = body.subarray(at, end);
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd < 0) throw new HttpProblem(400, 'multipart part has no header end', 'invalid');
    const headers: Record<string, string> = {};
    for (const line of part.subarray(0, headerEnd).toString('latin1').split('\r\n')) {
      const colon = line.indexOf(':');
      if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    parts.push({ headers, body: part.subarray(headerEnd + 4) });
    at = end + nextDelimiter.length;
  }
  return parts;
}
