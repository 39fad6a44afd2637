import path from 'node:path';
import { addAbortSignal, PassThrough, type Readable } from 'node:stream';
import type { ConnectionOptions } from 'node:tls';
import { Client, FTPError, type AccessOptions, type FileInfo } from 'basic-ftp';
import { datasetFromName, isDataFileName, isOtherItemFolder, isZipName } from './dataset-name.js';
import type { RemoteFile, Source } from './source.js';
import { createTempFile } from './temp-file.js';
import { openFirstCsvEntry } from './zip.js';

export interface FtpSourceOptions {
  /**
   * TLS options for `ftps://` (explicit TLS), e.g. `{ ca }` for a private CA, or `{ rejectUnauthorized: false }`
   * for a throwaway test server. Certificates are verified unless told otherwise.
   */
  tls?: ConnectionOptions;
  /** basic-ftp's timeout for connecting and for a silent control or data connection, in ms. */
  timeoutMs?: number;
  /** Where ZIP downloads are staged before they are unpacked. */
  tmpDir?: string;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const MDTM_UNSUPPORTED_CODES = new Set([500, 501, 502, 504]);

/**
 * An FTP or FTPS server laid out like ENTSO-E's `/TP_export/<dataset folder>/<files>`, listed recursively
 * from the URL's path.
 *
 * A basic-ftp client runs one command at a time, so every operation, a streamed download included, holds
 * the connection until it is done; callers queue behind it.
 */
export class FtpSource implements Source {
  readonly kind = 'ftp';
  private readonly access: AccessOptions;
  private readonly root: string;
  private readonly label: string;
  private readonly timeoutMs: number;
  private readonly tmpDir: string | undefined;
  private client: Client | null = null;
  private queue: Promise<void> = Promise.resolve();
  /** Set once the server refused MDTM, so that a listing does not send a failing command per file. */
  private mdtmUnsupported = false;

  constructor(url: string, options: FtpSourceOptions = {}) {
    const parsed = new URL(url);
    if (parsed.protocol !== 'ftp:' && parsed.protocol !== 'ftps:') {
      throw new Error(`FTP source URL must start with ftp:// or ftps://, got ${parsed.protocol}//`);
    }
    const user = decodeURIComponent(parsed.username);
    this.access = {
      host: parsed.hostname.replace(/^\[(.*)\]$/, '$1'),
      port: parsed.port ? Number(parsed.port) : 21,
      ...(user ? { user, password: decodeURIComponent(parsed.password) } : {}),
      secure: parsed.protocol === 'ftps:',
      secureOptions: options.tls,
    };
    this.root = decodeURIComponent(parsed.pathname) || '/';
    this.label = `${parsed.protocol}//${user ? `${encodeURIComponent(user)}@` : ''}${parsed.host}${this.root}`;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.tmpDir = options.tmpDir;
  }

  describe(): string {
    return `ftp ${this.label}`;
  }

  list(signal?: AbortSignal): Promise<RemoteFile[]> {
    return this.exclusive(signal, async (client) => {
      const files: RemoteFile[] = [];
      await this.walk(client, this.root, files);
      return files;
    });
  }

  async open(file: RemoteFile, signal?: AbortSignal): Promise<Readable> {
    if (isZipName(file.name)) {
      // yauzl needs random access, so the archive is downloaded whole before it is unpacked.
      const temp = await createTempFile(file.name, this.tmpDir);
      try {
        await this.exclusive(signal, (client) => client.downloadTo(temp.path, file.key));
      } catch (err) {
        await temp.remove();
        throw err;
      }
      const stream = await openFirstCsvEntry(temp.path, { label: `FTP ${file.key}`, cleanup: temp.remove });
      return signal ? addAbortSignal(signal, stream) : stream;
    }
    return this.openStream(file.key, signal);
  }

  async close(): Promise<void> {
    const release = await this.acquire();
    this.client?.close();
    this.client = null;
    release();
  }

  /** Streams a download while holding the connection until the transfer has finished or failed. */
  private async openStream(remotePath: string, signal: AbortSignal | undefined): Promise<Readable> {
    const release = await this.acquire();
    let client: Client;
    try {
      signal?.throwIfAborted();
      client = await this.connected();
    } catch (err) {
      release();
      throw err;
    }
    const out = new PassThrough();
    if (signal) addAbortSignal(signal, out);
    // A reader that destroys `out` early makes basic-ftp's pipeline fail, which ends the transfer.
    client.downloadTo(out, remotePath).then(
      () => {
        release();
      },
      (err: unknown) => {
        // The control connection may still expect the aborted transfer's reply: start afresh next time.
        this.discard(client);
        release();
        out.destroy(err instanceof Error ? err : new Error(String(err)));
      },
    );
    return out;
  }

  private async walk(client: Client, dir: string, files: RemoteFile[]): Promise<void> {
    for (const entry of await client.list(dir)) {
      // `LIST -a`, which basic-ftp tries first, lists these too.
      if (entry.name === '.' || entry.name === '..') continue;
      const full = path.posix.join(dir, entry.name);
      if (entry.isDirectory) {
        if (!isOtherItemFolder(entry.name)) await this.walk(client, full, files);
      } else if (entry.isFile && isDataFileName(entry.name)) {
        files.push({
          key: full,
          name: entry.name,
          dataset: datasetFromName(full),
          size: entry.size,
          version: `${entry.size}:${await this.modifiedAt(client, full, entry)}`,
        });
      }
    }
  }

  /**
   * Modification time for the version: MLSD's when the server has it, else MDTM's (both exact, in UTC),
   * else the `LIST` text, which is coarse (minutes, or only the day for older files) but still changes.
   */
  private async modifiedAt(client: Client, remotePath: string, entry: FileInfo): Promise<string> {
    if (entry.modifiedAt) return String(entry.modifiedAt.getTime());
    if (!this.mdtmUnsupported) {
      try {
        return String((await client.lastMod(remotePath)).getTime());
      } catch (err) {
        if (!(err instanceof FTPError)) throw err;
        // 500-502, 504: the server does not do MDTM. Anything else (550: the file just went away) is about
        // this file only.
        if (MDTM_UNSUPPORTED_CODES.has(err.code)) this.mdtmUnsupported = true;
      }
    }
    return entry.rawModifiedAt;
  }

  private async exclusive<T>(
    signal: AbortSignal | undefined,
    task: (client: Client) => Promise<T>,
  ): Promise<T> {
    const release = await this.acquire();
    // Closing the client is the only way to interrupt basic-ftp, whether connecting or mid-command.
    const onAbort = (): void => {
      if (this.client) this.discard(this.client);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      signal?.throwIfAborted();
      return await task(await this.connected());
    } catch (err) {
      if (signal?.aborted) throw signal.reason;
      throw err;
    } finally {
      signal?.removeEventListener('abort', onAbort);
      release();
    }
  }

  private async acquire(): Promise<() => void> {
    const previous = this.queue;
    let release = (): void => undefined;
    this.queue = new Promise<void>((resolve) => {
      release = resolve;
    });
    await previous;
    return release;
  }

  private async connected(): Promise<Client> {
    if (this.client && !this.client.closed) {
      // Servers drop idle control connections; a NOOP finds out before a real command fails halfway.
      try {
        await this.client.send('NOOP');
        return this.client;
      } catch {
        this.discard(this.client);
      }
    }
    const client = new Client(this.timeoutMs);
    this.client = client;
    try {
      await client.access(this.access);
    } catch (err) {
      this.discard(client);
      throw err;
    }
    return client;
  }

  private discard(client: Client): void {
    client.close();
    if (this.client === client) this.client = null;
  }
}
