import fs from 'node:fs';
import type { Socket } from 'node:net';
import os from 'node:os';

/** What the kernel holds for one TCP connection it sends on. */
export interface KernelQueue {
  /** Bytes written to the socket that the peer has not acknowledged: the Send-Q of `ss`. */
  queued: number;
  /** The peer's receive window is shut and data waits: the kernel is probing a zero window. */
  windowShut: boolean;
}

const TABLES = { IPv4: '/proc/net/tcp', IPv6: '/proc/net/tcp6' } as const;
/** `tr` of a row whose zero-window probe timer runs (ICSK_TIME_PROBE0). */
const PROBING_ZERO_WINDOW = '04';
const LITTLE_ENDIAN = os.endianness() === 'LE';

function hex(bytes: number[]): string {
  return bytes.map((b) => b.toString(16).padStart(2, '0')).join('');
}

function ipv4Bytes(address: string): number[] | null {
  const parts = address.split('.').map(Number);
  return parts.length === 4 && parts.every((p) => Number.isInteger(p) && p >= 0 && p <= 255) ? parts : null;
}

function ipv6Bytes(address: string): number[] | null {
  let text = address.split('%')[0] ?? '';
  let tail: number[] = [];
  const dotted = /:(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    tail = ipv4Bytes(dotted[1] ?? '') ?? [];
    if (tail.length !== 4) return null;
    text = `${text.slice(0, dotted.index)}:0:0`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const [head = '', rest] = halves;
  const groups = (s: string) => (s === '' ? [] : s.split(':'));
  const left = groups(head);
  const right = rest === undefined ? [] : groups(rest);
  const missing = 8 - left.length - right.length;
  if (missing < 0 || (rest === undefined && missing !== 0)) return null;
  const words = [...left, ...Array<string>(missing).fill('0'), ...right].map((g) => parseInt(g, 16));
  if (words.some((w) => !Number.isInteger(w) || w < 0 || w > 0xffff)) return null;
  const bytes = words.flatMap((w) => [w >> 8, w & 0xff]);
  if (tail.length === 4) bytes.splice(12, 4, ...tail);
  return bytes;
}

/**
 * An address as the kernel prints it in its TCP tables: each 32-bit word of the address in network
 * order, printed `%08X` as the machine reads it, so on a little-endian machine every four bytes are
 * reversed. `127.0.0.1` is `0100007F` there.
 */
export function tableAddress(address: string, family: string): string | null {
  const bytes = family === 'IPv4' ? ipv4Bytes(address) : ipv6Bytes(address);
  if (!bytes) return null;
  const words: string[] = [];
  for (let i = 0; i < bytes.length; i += 4) {
    const word = bytes.slice(i, i + 4);
    words.push(hex(LITTLE_ENDIAN ? word.reverse() : word));
  }
  return words.join('').toUpperCase();
}

/** `local:port remote:port` as a row of the table prints them; IPv6 keys are the longer ones. */
function tableKey(socket: Socket): string | null {
  const { localAddress, localPort, remoteAddress, remotePort, remoteFamily } = socket;
  if (!localAddress || !localPort || !remoteAddress || !remotePort || !remoteFamily) return null;
  const family = remoteFamily === 'IPv6' ? 'IPv6' : 'IPv4';
  const local = tableAddress(localAddress, family);
  const remote = tableAddress(remoteAddress, family);
  if (!local || !remote) return null;
  const port = (p: number) => p.toString(16).toUpperCase().padStart(4, '0');
  return `${local}:${port(localPort)} ${remote}:${port(remotePort)}`;
}

/** 8 hex digits, a colon, 4 more, twice, with a space between: the key of an IPv4 row. */
const IPV4_KEY_LENGTH = 27;

/**
 * The rows of one table for the keys asked about. A row is
 * `%4d: %08X:%04X %08X:%04X %02X %08X:%08X %02X:%08lX …` (IPv6 addresses are 32 digits): after the row
 * number every field has a fixed width, so the key and the two fields needed are cut out by position
 * rather than by splitting tens of thousands of rows.
 */
function rowsOf(text: string, keys: Map<string, Socket>, found: Map<Socket, KernelQueue>): void {
  const keyLength = (keys.keys().next().value ?? '').length;
  for (let start = 0; start < text.length;) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const at = text.indexOf(': ', start) + 2;
    if (at > 1 && at < end) {
      const socket = keys.get(text.slice(at, at + keyLength));
      if (socket) {
        // The key, a space, the state (2), a space, then tx_queue:rx_queue (8:8), a space, tr.
        const tx = at + keyLength + 4;
        found.set(socket, {
          queued: parseInt(text.slice(tx, tx + 8), 16) || 0,
          windowShut: text.slice(tx + 18, tx + 20) === PROBING_ZERO_WINDOW,
        });
      }
    }
    start = end + 1;
  }
}

/**
 * Reads what the kernel holds unsent or unacknowledged for TCP connections, from Linux's
 * `/proc/net/tcp` and `/proc/net/tcp6` (the table `ss` and `netstat` show; in a container, the
 * container's own). Node sees only what it buffers itself, and the kernel takes up to its send buffer
 * (4 MiB by default) for a client that reads nothing before Node buffers a byte; Node has no way to
 * shrink that buffer. One read of a table serves every socket asked about; with 10,000 connections a
 * table is about 1.5 MB of text.
 */
export class KernelSendQueues {
  private constructor() {}

  /** Null where the kernel's tables cannot be read (not Linux, or /proc not mounted). */
  static open(): KernelSendQueues | null {
    try {
      fs.accessSync(TABLES.IPv4, fs.constants.R_OK);
      return new KernelSendQueues();
    } catch {
      return null;
    }
  }

  async read(sockets: Iterable<Socket>): Promise<Map<Socket, KernelQueue>> {
    const wanted = new Map<string, Map<string, Socket>>();
    for (const socket of sockets) {
      // Not kept between reads: it would cost sessions memory for what a read rebuilds in microseconds.
      const k = tableKey(socket);
      if (!k) continue;
      const table = k.length === IPV4_KEY_LENGTH ? TABLES.IPv4 : TABLES.IPv6;
      let keys = wanted.get(table);
      if (!keys) wanted.set(table, (keys = new Map<string, Socket>()));
      keys.set(k, socket);
    }
    const found = new Map<Socket, KernelQueue>();
    for (const [table, keys] of wanted) {
      // Read on the thread pool: the kernel takes tens of milliseconds to print a large table.
      rowsOf(await fs.promises.readFile(table, 'latin1').catch(() => ''), keys, found);
    }
    return found;
  }
}
