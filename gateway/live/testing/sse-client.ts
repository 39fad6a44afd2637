import http from 'node:http';

export interface SseEvent {
  event: string;
  id: string | undefined;
  data: string;
}

/**
 * A minimal EventSource for tests over `http.get`: one connection, no reconnection, and everything it
 * received kept, so a test can assert on frames as well as on what it did not get.
 */
export class SseClient {
  readonly events: SseEvent[] = [];
  readonly comments: string[] = [];
  retry: number | undefined;
  /** Everything received, as text. */
  raw = '';
  /** Settles when the server ended the response or the connection broke. */
  readonly ended: Promise<void>;
  private pending = '';
  private frame: { event: string; id: string | undefined; data: string[] } = {
    event: 'message',
    id: undefined,
    data: [],
  };
  private listeners = new Set<() => void>();

  private constructor(
    readonly req: http.ClientRequest,
    readonly res: http.IncomingMessage,
  ) {
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      this.receive(chunk);
    });
    // A connection the server cuts is an expected ending here, not a failure: `close` follows the error.
    res.on('error', () => undefined);
    req.on('error', () => undefined);
    this.ended = new Promise((resolve) => res.once('close', resolve));
  }

  static connect(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
    return new Promise((resolve, reject) => {
      const req = http.get(url, { headers: { Accept: 'text/event-stream', ...headers } }, (res) => {
        resolve(new SseClient(req, res));
      });
      req.once('error', reject);
    });
  }

  get updates(): SseEvent[] {
    return this.events.filter((e) => e.event === 'update');
  }

  /** Resolves once `done` holds for what was received, checked after every chunk. */
  async waitFor(done: (client: this) => boolean, timeoutMs = 5_000): Promise<void> {
    if (done(this)) return;
    await new Promise<void>((resolve, reject) => {
      const check = () => {
        if (!done(this)) return;
        clearTimeout(timer);
        this.listeners.delete(check);
        resolve();
      };
      const timer = setTimeout(() => {
        this.listeners.delete(check);
        reject(
          new Error(`SSE client: condition not met in ${timeoutMs} ms; got ${JSON.stringify(this.events)}`),
        );
      }, timeoutMs);
      this.listeners.add(check);
    });
  }

  async ready(): Promise<SseEvent> {
    let ready: SseEvent | undefined;
    await this.waitFor((c) => (ready = c.events.find((e) => e.event === 'ready')) !== undefined);
    if (!ready) throw new Error('no ready event');
    return ready;
  }

  close(): void {
    this.req.destroy();
  }

  private receive(chunk: string): void {
    this.raw += chunk;
    const lines = (this.pending + chunk).split(/\r\n|\r|\n/);
    this.pending = lines.pop() ?? '';
    for (const line of lines) this.line(line);
    for (const listener of [...this.listeners]) listener();
  }

  /** The field rules of the EventSource specification, for the fields this server sends. */
  private line(line: string): void {
    if (line === '') {
      if (this.frame.data.length > 0) {
        this.events.push({ event: this.frame.event, id: this.frame.id, data: this.frame.data.join('\n') });
      }
      this.frame = { event: 'message', id: undefined, data: [] };
      return;
    }
    if (line.startsWith(':')) {
      this.comments.push(line.slice(1).trim());
      return;
    }
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') this.frame.event = value;
    else if (field === 'id') this.frame.id = value;
    else if (field === 'data') this.frame.data.push(value);
    else if (field === 'retry') this.retry = Number(value);
  }
}
