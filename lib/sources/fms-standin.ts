import { randomBytes, randomUUID } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import yazl from 'yazl';
import { listen } from '../net/listen.js';

const STANDIN_TOKEN_PATH = '/realms/tp/protocol/openid-connect/token';
const TOP_LEVEL_FOLDER = 'TP_export';
const MAX_BODY_BYTES = 1024 * 1024;

export interface FmsStandinOptions {
  port?: number;
  host?: string;
  username?: string;
  password?: string;
  /** `expires_in` of issued tokens, in seconds; fractions allowed so that tests can watch one expire. */
  tokenExpiresInSec?: number;
}

export interface StandinRequest {
  /** `token`, `listFolder`, `downloadFileContent`, or the path of anything else. */
  operation: string;
  status: number;
  /** Parsed JSON body of FMS calls; the token form with its password left out. */
  body: unknown;
  at: number;
}

interface StoredFile {
  fileId: string;
  folder: string;
  name: string;
  content: Buffer;
  lastUpdatedTimestamp: string;
}

/** One entry of `contentItemList`. */
interface Item {
  name: string;
  type: 'File' | 'Folder';
  path: string;
  fileId?: string;
  size?: number;
  lastUpdatedTimestamp?: string;
  periodCovered?: { from: string | null; to: string | null };
}

interface Reply {
  status: number;
  headers?: Record<string, string>;
  body: Buffer | string | NodeJS.ReadableStream;
}

class HttpProblem extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * A local stand-in for the ENTSO-E File Library and its Keycloak token endpoint, for tests: the operations,
 * bodies and status codes the public clients show, on one port. `FmsStandin.start({ port: 0 })`, then point
 * a client's `apiUrl` at `url` and its `tokenUrl` at `tokenUrl`.
 */
export class FmsStandin {
  readonly username: string;
  readonly password: string;
  /** Every request answered, oldest first. */
  readonly requests: StandinRequest[] = [];
  private readonly server: http.Server;
  private readonly files = new Map<string, StoredFile>();
  private readonly folders = new Set<string>();
  private readonly tokens = new Map<string, number>();
  private tokenExpiresInSec: number;
  private refusingTokens = false;
  private rateLimited = 0;
  private retryAfterSec: number | null = null;
  private tokenCount = 0;
  private baseUrl = '';

  private constructor(options: FmsStandinOptions) {
    this.username = options.username ?? 'user@example.org';
    this.password = options.password ?? 'secret';
    this.tokenExpiresInSec = options.tokenExpiresInSec ?? 300;
    this.server = http.createServer((req, res) => {
      void this.handle(req, res);
    });
  }

  static async start(options: FmsStandinOptions = {}): Promise<FmsStandin> {
    const standin = new FmsStandin(options);
    standin.baseUrl = (await listen(standin.server, options.port ?? 0, options.host ?? '127.0.0.1')).url;
    return standin;
  }

  /** FMS base URL, the `apiUrl` of a client. */
  get url(): string {
    return this.baseUrl;
  }

  get tokenUrl(): string {
    return `${this.baseUrl}${STANDIN_TOKEN_PATH}`;
  }

  /** Tokens handed out so far. */
  get tokensIssued(): number {
    return this.tokenCount;
  }

  /** FMS calls (not token requests) answered so far. */
  get apiRequests(): StandinRequest[] {
    return this.requests.filter((r) => r.operation !== 'token');
  }

  /** Adds or replaces a file; `folder` is a folder name in `/TP_export/`, or '' for the top level. */
  setFile(folder: string, name: string, content: string | Buffer, lastUpdatedTimestamp?: string): void {
    const key = `${folder}/${name}`;
    this.files.set(key, {
      fileId: this.files.get(key)?.fileId ?? randomUUID(),
      folder,
      name,
      content: typeof content === 'string' ? Buffer.from(content) : content,
      lastUpdatedTimestamp: lastUpdatedTimestamp ?? new Date().toISOString(),
    });
    if (folder !== '') this.folders.add(folder);
  }

  removeFile(folder: string, name: string): void {
    this.files.delete(`${folder}/${name}`);
  }

  /** A folder that may stay empty, e.g. another item's. */
  addFolder(folder: string): void {
    this.folders.add(folder);
  }

  /** Serves a local tree laid out like `/TP_export/`: each subfolder a folder, file mtimes as timestamps. */
  async addFromFolder(dir: string): Promise<void> {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isFile()) {
        this.setFile('', entry.name, await readFile(full), (await stat(full)).mtime.toISOString());
      } else if (entry.isDirectory()) {
        this.addFolder(entry.name);
        for (const file of await readdir(full, { withFileTypes: true })) {
          if (!file.isFile()) continue;
          const filePath = path.join(full, file.name);
          this.setFile(
            entry.name,
            file.name,
            await readFile(filePath),
            (await stat(filePath)).mtime.toISOString(),
          );
        }
      }
    }
  }

  setTokenExpiresIn(seconds: number): void {
    this.tokenExpiresInSec = seconds;
  }

  /** Hands out tokens the API then refuses, as a realm misconfigured for the API would. */
  refuseAllTokens(): void {
    this.refusingTokens = true;
  }

  /** Invalidates every token handed out, as a Keycloak restart or a password change would. */
  revokeTokens(): void {
    this.tokens.clear();
  }

  /** Answers the next `count` FMS calls with 429, with `Retry-After: retryAfterSec` unless null. */
  rateLimitNext(count: number, retryAfterSec: number | null = 1): void {
    this.rateLimited = count;
    this.retryAfterSec = retryAfterSec;
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => {
      this.server.close(() => {
        resolve();
      });
    });
    // fetch keeps connections alive; without this, close() would wait for them to time out.
    this.server.closeAllConnections();
    await closed;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const pathname = new URL(req.url ?? '/', 'http://standin').pathname;
    const operation = pathname === STANDIN_TOKEN_PATH ? 'token' : pathname.replace(/^\//, '');
    let body: unknown = null;
    let reply: Reply;
    try {
      if (req.method !== 'POST') throw new HttpProblem(405, 'only POST is supported');
      const raw = await readBody(req);
      if (operation === 'token') {
        const form = new URLSearchParams(raw.toString('utf8'));
        body = {
          client_id: form.get('client_id'),
          grant_type: form.get('grant_type'),
          username: form.get('username'),
        };
        reply = this.issueToken(form);
      } else {
        body = parseJson(raw);
        reply = this.api(operation, req.headers.authorization, body);
      }
    } catch (err) {
      reply =
        err instanceof HttpProblem
          ? jsonReply(err.status, { message: err.message })
          : jsonReply(500, { message: err instanceof Error ? err.message : String(err) });
    }
    this.requests.push({ operation, status: reply.status, body, at: Date.now() });
    res.writeHead(reply.status, reply.headers);
    if (Buffer.isBuffer(reply.body) || typeof reply.body === 'string') res.end(reply.body);
    else reply.body.pipe(res);
  }

  private issueToken(form: URLSearchParams): Reply {
    if (form.get('client_id') !== 'tp-fms-public') {
      return jsonReply(401, {
        error: 'unauthorized_client',
        error_description: 'Invalid client credentials',
      });
    }
    if (form.get('grant_type') !== 'password') {
      return jsonReply(400, { error: 'unsupported_grant_type', error_description: 'Unsupported grant_type' });
    }
    if (form.get('username') !== this.username || form.get('password') !== this.password) {
      return jsonReply(401, { error: 'invalid_grant', error_description: 'Invalid user credentials' });
    }
    const token = randomBytes(24).toString('hex');
    this.tokens.set(token, Date.now() + this.tokenExpiresInSec * 1000);
    this.tokenCount++;
    return jsonReply(200, {
      access_token: token,
      expires_in: this.tokenExpiresInSec,
      token_type: 'Bearer',
      scope: 'profile email',
    });
  }

  private api(operation: string, authorization: string | undefined, body: unknown): Reply {
    if (operation !== 'listFolder' && operation !== 'downloadFileContent')
      throw new HttpProblem(404, 'no such operation');
    if (this.rateLimited > 0) {
      this.rateLimited--;
      const reply = jsonReply(429, { message: 'Too many requests' });
      if (this.retryAfterSec !== null)
        reply.headers = { ...reply.headers, 'Retry-After': String(this.retryAfterSec) };
      return reply;
    }
    const token = /^Bearer (.+)$/.exec(authorization ?? '')?.[1];
    const expiresAt = token === undefined ? undefined : this.tokens.get(token);
    if (expiresAt === undefined || expiresAt <= Date.now() || this.refusingTokens)
      throw new HttpProblem(401, 'invalid or expired token');
    if (typeof body !== 'object' || body === null) throw new HttpProblem(400, 'expected a JSON object');
    return operation === 'listFolder' ? this.listFolder(body) : this.download(body);
  }

  private listFolder(body: { path?: unknown; sorterList?: unknown; pageInfo?: unknown }): Reply {
    if (typeof body.path !== 'string') throw new HttpProblem(400, 'path is required');
    const folder = folderOfPath(body.path);
    if (folder !== '' && !this.folders.has(folder))
      throw new HttpProblem(404, `folder ${body.path} not found`);
    const items: Item[] = [...this.files.values()].filter((f) => f.folder === folder).map((f) => fileItem(f));
    if (folder === '') {
      for (const name of this.folders) items.push({ name, type: 'Folder', path: `/${TOP_LEVEL_FOLDER}/` });
    }
    sortItems(items, body.sorterList);
    const { pageIndex, pageSize } = pageInfo(body.pageInfo);
    return jsonReply(200, { contentItemList: items.slice(pageIndex * pageSize, (pageIndex + 1) * pageSize) });
  }

  private download(body: {
    folder?: unknown;
    filename?: unknown;
    fileIdList?: unknown;
    downloadAsZip?: unknown;
    topLevelFolder?: unknown;
  }): Reply {
    if (body.topLevelFolder !== TOP_LEVEL_FOLDER)
      throw new HttpProblem(400, `topLevelFolder must be ${TOP_LEVEL_FOLDER}`);
    let files: StoredFile[];
    if (typeof body.folder === 'string' && typeof body.filename === 'string') {
      const file = this.files.get(`${folderOfPath(body.folder)}/${body.filename}`);
      if (!file) throw new HttpProblem(404, `file ${body.folder}${body.filename} not found`);
      files = [file];
    } else if (Array.isArray(body.fileIdList) && body.fileIdList.length > 0) {
      const ids = new Set(body.fileIdList);
      files = [...this.files.values()].filter((f) => ids.has(f.fileId));
      if (files.length !== ids.size) throw new HttpProblem(404, 'unknown file id');
    } else {
      throw new HttpProblem(400, 'folder and filename, or fileIdList, are required');
    }
    if (body.downloadAsZip === true) {
      const zip = new yazl.ZipFile();
      for (const file of files)
        zip.addBuffer(file.content, file.name, { mtime: new Date(file.lastUpdatedTimestamp) });
      zip.end();
      return { status: 200, headers: { 'Content-Type': 'application/zip' }, body: zip.outputStream };
    }
    const [single] = files;
    if (!single || files.length > 1) throw new HttpProblem(400, 'several files need downloadAsZip');
    return { status: 200, headers: { 'Content-Type': 'text/csv' }, body: single.content };
  }
}

function jsonReply(status: number, value: unknown): Reply {
  return { status, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(value) };
}

async function readBody(req: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new HttpProblem(413, 'body too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function parseJson(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString('utf8')) as unknown;
  } catch {
    throw new HttpProblem(400, 'body is not JSON');
  }
}

/** `/TP_export/Folder/` → `Folder`; `/TP_export/` → ''. */
function folderOfPath(folderPath: string): string {
  const parts = folderPath.split('/').filter((p) => p !== '');
  if (parts[0] !== TOP_LEVEL_FOLDER || parts.length > 2)
    throw new HttpProblem(404, `folder ${folderPath} not found`);
  return parts[1] ?? '';
}

function fileItem(file: StoredFile): Item {
  const month = /^(\d{4})_(\d{2})_/.exec(file.name);
  const from = month ? new Date(Date.UTC(Number(month[1]), Number(month[2]) - 1, 1)) : null;
  const to = from ? new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth() + 1, 1)) : null;
  return {
    fileId: file.fileId,
    name: file.name,
    type: 'File',
    path: file.folder === '' ? `/${TOP_LEVEL_FOLDER}/` : `/${TOP_LEVEL_FOLDER}/${file.folder}/`,
    size: file.content.length,
    lastUpdatedTimestamp: file.lastUpdatedTimestamp,
    periodCovered: { from: from?.toISOString() ?? null, to: to?.toISOString() ?? null },
  };
}

const SORT_KEYS: Record<string, (item: Item) => string> = {
  name: (i) => i.name,
  lastUpdatedTimestamp: (i) => i.lastUpdatedTimestamp ?? '',
  'periodCovered.from': (i) => i.periodCovered?.from ?? '',
};

function sortItems(items: Item[], sorterList: unknown): void {
  if (sorterList === undefined) return;
  if (!Array.isArray(sorterList)) throw new HttpProblem(400, 'sorterList must be a list');
  const sorters = sorterList.map((s: { key?: unknown; ascending?: unknown }) => {
    const keyOf = typeof s.key === 'string' ? SORT_KEYS[s.key] : undefined;
    if (!keyOf) throw new HttpProblem(400, `cannot sort by ${String(s.key)}`);
    return { keyOf, sign: s.ascending === false ? -1 : 1 };
  });
  items.sort((a, b) => {
    for (const { keyOf, sign } of sorters) {
      const order = keyOf(a).localeCompare(keyOf(b));
      if (order !== 0) return order * sign;
    }
    return 0;
  });
}

function pageInfo(value: unknown): { pageIndex: number; pageSize: number } {
  const { pageIndex, pageSize } = (value ?? {}) as { pageIndex?: unknown; pageSize?: unknown };
  if (!Number.isInteger(pageIndex) || (pageIndex as number) < 0)
    throw new HttpProblem(400, 'pageInfo.pageIndex');
  if (!Number.isInteger(pageSize) || (pageSize as number) < 1)
    throw new HttpProblem(400, 'pageInfo.pageSize');
  return { pageIndex: pageIndex as number, pageSize: pageSize as number };
}
