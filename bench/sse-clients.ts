/**
 * The clients of `npm run bench:sse`, in processes of their own so that their work and memory do not count
 * against the gateway. Holds SSE sessions on one gateway, notes when each gets its first `update`, and
 * speaks JSON lines with the bench: it writes `ready` once every session has had its `ready` event,
 * `served` once every matching session has an update, a `report` for each `report` line it reads, and
 * `failed` when a session cannot be opened. It exits when its stdin closes, so it never outlives the bench.
 */
import http from 'node:http';
import readline from 'node:readline';

/** Sessions with the same request; `matching` ones watch what the bench's import changes. */
export interface ClientGroup {
  path: string;
  clients: number;
  matching: boolean;
}

/** The process's first argument, as JSON. */
export interface ClientPlan {
  port: number;
  /** A subscriber's API token: every stream is opened as a subscriber's script would open it. */
  token: string;
  groups: ClientGroup[];
}

export interface ClientReport {
  type: 'report';
  /** `Date.now()` at the first update of each matching session that has one. */
  firstUpdates: number[];
  /** Matching sessions still without an update. */
  unserved: number;
  /** Non-matching sessions that got an update. */
  wronglyUpdated: number;
  /** Sessions that ended after their `ready` event: the server dropped them. */
  closed: number;
}

export type ClientMessage =
  { type: 'ready' } | { type: 'served' } | { type: 'failed'; error: string } | ClientReport;

/** Sessions being opened at once: enough to connect quickly, few enough for the server's accept backlog. */
const OPENING = 32;

interface Session {
  readonly path: string;
  readonly matching: boolean;
  firstUpdate?: number;
  closed: boolean;
}

const plan = JSON.parse(process.argv[2] ?? '{}') as ClientPlan;
const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
const sessions: Session[] = plan.groups.flatMap((g) =>
  Array.from({ length: g.clients }, () => ({ path: g.path, matching: g.matching, closed: false })),
);
const matching = sessions.filter((s) => s.matching).length;
let served = 0;
let opened = false;

function send(message: ClientMessage): void {
  process.stdout.write(`${JSON.stringify(message)}\n`);
}

/** `served` goes out once, after `ready`, so the bench can wait for the two in order. */
function announceServed(): void {
  if (opened && served === matching) send({ type: 'served' });
}

function updated(s: Session): void {
  if (s.firstUpdate !== undefined) return;
  s.firstUpdate = Date.now();
  if (s.matching) {
    served++;
    announceServed();
  }
}

function report(): ClientReport {
  const firstUpdates: number[] = [];
  let wronglyUpdated = 0;
  for (const s of sessions) {
    if (s.firstUpdate === undefined) continue;
    if (s.matching) firstUpdates.push(s.firstUpdate);
    else wronglyUpdated++;
  }
  return {
    type: 'report',
    firstUpdates,
    unserved: matching - firstUpdates.length,
    wronglyUpdated,
    closed: sessions.filter((s) => s.closed).length,
  };
}

/** Resolves on the session's `ready` event; rejects if it cannot be opened. */
function open(s: Session): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = http.get(
      {
        host: '127.0.0.1',
        port: plan.port,
        path: s.path,
        agent,
        headers: { accept: 'text/event-stream', authorization: `Bearer ${plan.token}` },
      },
      (res) => {
        if (res.statusCode !== 200) {
          res.resume();
          reject(new Error(`GET ${s.path}: HTTP ${String(res.statusCode)}`));
          return;
        }
        res.setEncoding('utf8');
        // Only the event name of each frame matters; frames may be split across chunks.
        let pending = '';
        res.on('data', (chunk: string) => {
          pending += chunk;
          for (let end = pending.indexOf('\n\n'); end >= 0; end = pending.indexOf('\n\n')) {
            const event = /^event: (\w+)$/m.exec(pending.slice(0, end))?.[1];
            pending = pending.slice(end + 2);
            if (event === 'ready') resolve();
            else if (event === 'update') updated(s);
          }
        });
        // A reset connection also ends in `close`, which is where a dropped session is counted.
        res.on('error', () => undefined);
        res.on('close', () => {
          s.closed = true;
          reject(new Error(`GET ${s.path}: closed before its ready event`));
        });
      },
    );
    req.on('error', reject);
  });
}

readline
  .createInterface({ input: process.stdin })
  .on('line', (line) => {
    if (line === 'report') send(report());
  })
  .on('close', () => process.exit(0));

let next = 0;
async function opener(): Promise<void> {
  for (let s = sessions[next++]; s; s = sessions[next++]) await open(s);
}

try {
  await Promise.all(Array.from({ length: OPENING }, opener));
} catch (err) {
  send({ type: 'failed', error: err instanceof Error ? err.message : String(err) });
  process.exit(1);
}
opened = true;
send({ type: 'ready' });
announceServed();
