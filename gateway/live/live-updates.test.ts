import fs from 'node:fs';
import net from 'node:net';
import { expect } from 'chai';
import { connect, type JetStreamClient, type NatsConnection } from 'nats';
import { Registry } from 'prom-client';
import type { DatasetName } from '../../lib/config/env.js';
import type { ChangedRange } from '../../lib/clickhouse/month-import.js';
import { applyDefinitions } from '../../lib/nats/definitions.js';
import type { ImportDone } from '../../lib/pipeline/messages.js';
import { subjects } from '../../lib/pipeline/subjects.js';
import type { ColumnarSeries, SeriesRequest } from '../../lib/query/series-request.js';
import { startNatsServer, type TestNatsServer } from '../../test/support/nats-server.js';
import { createLiveUpdates } from './live-updates.js';
import { SseClient, type SseEvent } from './testing/sse-client.js';
import { deterministicPoints, startTestGateway, type TestGateway } from './testing/test-gateway.js';

const at = (iso: string) => Date.parse(iso) / 1000;
/** How long a session that should get nothing is watched after the others got their event. */
const QUIET_MS = 300;

function series(e: SseEvent): ColumnarSeries {
  return JSON.parse(e.data) as ColumnarSeries;
}

/** The interval starts an update carries, as ISO strings for readable failures. */
function times(e: SseEvent): string[] {
  return series(e).t.map((t) => new Date(t * 1000).toISOString().slice(0, 16));
}

function load(mapCode: string, from: string, to: string): ChangedRange {
  return { series: { area_type: 'CTY', map_code: mapCode }, resolution: 'PT15M', from, to, points: 1 };
}

function generation(mapCode: string, type: string, from: string, to: string): ChangedRange {
  return {
    ...load(mapCode, from, to),
    series: { area_type: 'CTY', map_code: mapCode, production_type: type },
  };
}

function flow(out: string, into: string, from: string, to: string): ChangedRange {
  return {
    ...load(out, from, to),
    series: { out_area_type: 'CTY', out_map_code: out, in_area_type: 'CTY', in_map_code: into },
  };
}

/** The kernel's TCP table rows (state, send queue) of the connection between two local ports, both ends. */
function tcpRows(port: number, otherPort: number): { state: string; sendQueue: number }[] {
  const hex = (p: number) => `:${p.toString(16).toUpperCase().padStart(4, '0')}`;
  const ends = (f: string[], a: number, b: number) =>
    f[1]?.endsWith(hex(a)) === true && f[2]?.endsWith(hex(b)) === true;
  return ['/proc/net/tcp', '/proc/net/tcp6']
    .flatMap((file) => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').slice(1) : []))
    .map((line) => line.trim().split(/\s+/))
    .filter((f) => ends(f, port, otherPort) || ends(f, otherPort, port))
    .map((f) => ({ state: f[3] ?? '', sendQueue: parseInt((f[4] ?? '0:0').split(':')[0] ?? '0', 16) }));
}

/**
 * A client that sends its request and then never reads: its receive buffer stays at the kernel's
 * initial size, as it does for a client whose application stopped reading.
 */
async function neverReading(url: string): Promise<{ socket: net.Socket; port: number }> {
  const target = new URL(url);
  const socket = net.connect(Number(target.port), target.hostname);
  await new Promise((resolve) => socket.once('connect', resolve));
  socket.on('error', () => undefined);
  socket.pause();
  socket.write(
    `GET ${target.pathname}${target.search} HTTP/1.1\r\nHost: ${target.host}\r\nAccept: text/event-stream\r\n\r\n`,
  );
  return { socket, port: socket.localPort ?? 0 };
}

async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('live updates over SSE', function () {
  this.timeout(20_000);
  let nats: TestNatsServer;
  let nc: NatsConnection;
  let js: JetStreamClient;
  const gateways: TestGateway[] = [];
  const clients: SseClient[] = [];
  const sockets: { socket: net.Socket }[][] = [];

  before(async () => {
    nats = await startNatsServer();
    nc = await connect({ servers: nats.url });
    await applyDefinitions(nc);
    js = nc.jetstream();
  });

  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    for (const c of sockets.splice(0).flat()) c.socket.destroy();
    for (const g of gateways.splice(0)) await g.stop();
  });

  after(async () => {
    await nc.close();
    await nats.stop();
  });

  async function gateway(
    options: Partial<Parameters<typeof startTestGateway>[0]> = {},
  ): Promise<TestGateway> {
    const g = await startTestGateway({ nc, heartbeatMs: 5_000, ...options });
    gateways.push(g);
    return g;
  }

  /** Connects and waits for `ready`: from then on the session gets every event. */
  async function open(
    g: TestGateway,
    query: Record<string, string>,
    headers: Record<string, string> = {},
  ): Promise<SseClient> {
    const client = await SseClient.connect(g.url(query), headers);
    clients.push(client);
    await client.ready();
    return client;
  }

  /** Publishes an "import done" as an importer does; returns its stream sequence. */
  async function publish(dataset: DatasetName, changes: ChangedRange[]): Promise<number> {
    const done: ImportDone = {
      dataset,
      month: '2024-01',
      sha256: 'test',
      status: 'imported',
      changes,
      changedPoints: changes.length,
      monthRows: 0,
      importedAt: new Date().toISOString(),
      part: 1,
      parts: 1,
    };
    return (await js.publish(subjects.importDone(dataset, '2024-01'), JSON.stringify(done))).seq;
  }

  it('sends a session exactly the changed points at its resolution, widened to its buckets and clipped to its range', async () => {
    const g = await gateway();
    const day = { dataset: 'load', area: 'DE', from: '2024-01-01T00:00Z', to: '2024-01-02T00:00Z' };
    const hourly = await open(g, { ...day, resolution: 'PT60M' });
    const native = await open(g, { ...day, from: '2024-01-01T06:00Z', to: '2024-01-01T10:30Z' });
    const daily = await open(g, {
      ...day,
      from: '2024-01-01T06:00Z',
      to: '2024-01-03T00:00Z',
      resolution: 'P1D',
    });
    const otherArea = await open(g, { ...day, area: 'FR', resolution: 'PT60M' });
    const laterRange = await open(g, { ...day, from: '2024-01-02T00:00Z', to: '2024-01-03T00:00Z' });

    const seq = await publish('load', [
      load('DE', '2024-01-01T10:15:00Z', '2024-01-01T10:45:00Z'),
      load('DE', '2023-12-31T12:00:00Z', '2023-12-31T13:00:00Z'),
    ]);

    await hourly.waitFor((c) => c.updates.length === 1);
    await native.waitFor((c) => c.updates.length === 1);
    await daily.waitFor((c) => c.updates.length === 1);
    expect(times(hourly.updates[0]!)).to.deep.equal(['2024-01-01T10:00']);
    expect(series(hourly.updates[0]!)).to.include({ dataset: 'load', area: 'DE', resolution: 'PT60M' });
    expect(times(native.updates[0]!)).to.deep.equal(['2024-01-01T10:15']);
    expect(times(daily.updates[0]!)).to.deep.equal(['2024-01-01T06:00']);
    expect(g.calls.find((r) => r.resolution === 'P1D')).to.include({
      from: at('2024-01-01T06:00Z'),
      to: at('2024-01-02T00:00Z'),
    });
    for (const c of [hourly, native, daily]) expect(c.updates[0]!.id).to.equal(String(seq));

    await new Promise((r) => setTimeout(r, QUIET_MS));
    expect(otherArea.updates).to.deep.equal([]);
    expect(laterRange.updates).to.deep.equal([]);
    expect(g.logs.filter((l) => l.level === 'warn')).to.deep.equal([]);
  });

  it('gives a generation session with a type only that type, and one without a type every type in one update', async () => {
    const g = await gateway();
    const day = { dataset: 'generation', area: 'DE', from: '2024-01-01', to: '2024-01-02' };
    const solar = await open(g, { ...day, type: 'Solar' });
    const wind = await open(g, { ...day, type: 'Wind Onshore' });
    const every = await open(g, day);

    await publish('generation', [
      generation('DE', 'Solar', '2024-01-01T10:00:00Z', '2024-01-01T10:15:00Z'),
      generation('DE', 'Nuclear', '2024-01-01T11:00:00Z', '2024-01-01T11:15:00Z'),
    ]);

    await solar.waitFor((c) => c.updates.length === 1);
    await every.waitFor((c) => c.updates.length === 1);
    expect(times(solar.updates[0]!)).to.deep.equal(['2024-01-01T10:00']);
    expect(series(solar.updates[0]!).series.map((s) => s.name)).to.deep.equal(['Solar']);
    expect(times(every.updates[0]!)).to.deep.equal([
      '2024-01-01T10:00',
      '2024-01-01T10:15',
      '2024-01-01T10:30',
      '2024-01-01T10:45',
      '2024-01-01T11:00',
    ]);
    expect(series(every.updates[0]!).series.map((s) => s.name)).to.deep.equal(['all']);
    await new Promise((r) => setTimeout(r, QUIET_MS));
    expect(wind.updates).to.deep.equal([]);
  });

  it('tells flow directions apart: only the session of the changed out and in areas gets the update', async () => {
    const g = await gateway();
    const day = { dataset: 'flows', from: '2024-01-01', to: '2024-01-02', resolution: 'PT60M' };
    const deToFr = await open(g, { ...day, out: 'DE', in: 'FR' });
    const frToDe = await open(g, { ...day, out: 'FR', in: 'DE' });
    const deToPl = await open(g, { ...day, out: 'DE', in: 'PL' });

    await publish('flows', [flow('DE', 'FR', '2024-01-01T05:00:00Z', '2024-01-01T05:15:00Z')]);

    await deToFr.waitFor((c) => c.updates.length === 1);
    expect(times(deToFr.updates[0]!)).to.deep.equal(['2024-01-01T05:00']);
    expect(series(deToFr.updates[0]!)).to.include({ area: 'DE', in: 'FR' });
    await new Promise((r) => setTimeout(r, QUIET_MS));
    expect(frToDe.updates).to.deep.equal([]);
    expect(deToPl.updates).to.deep.equal([]);
  });

  it('makes one query for sessions whose request and clipped range are the same', async () => {
    const g = await gateway();
    const day = { dataset: 'load', area: 'NL', from: '2024-01-01', to: '2024-01-02', resolution: 'PT60M' };
    const sameRange = [await open(g, day), await open(g, day)];
    const clippedToTheSame = await open(g, { ...day, to: '2024-01-01T12:00Z' });
    const native = await open(g, { ...day, resolution: 'native' });

    await publish('load', [load('NL', '2024-01-01T10:15:00Z', '2024-01-01T10:30:00Z')]);

    for (const c of [...sameRange, clippedToTheSame, native]) await c.waitFor((s) => s.updates.length === 1);
    expect(g.calls.map((r) => [r.resolution, r.from, r.to])).to.deep.equal([
      ['PT60M', at('2024-01-01T10:00Z'), at('2024-01-01T11:00Z')],
      ['native', at('2024-01-01T10:15Z'), at('2024-01-01T10:30Z')],
    ]);
  });

  it('numbers events with their JetStream stream sequence, increasing', async () => {
    const g = await gateway();
    const client = await open(g, { dataset: 'load', area: 'PL', from: '2024-01-01', to: '2024-01-02' });
    const seqs: number[] = [];
    for (const hour of ['01', '02', '03']) {
      seqs.push(
        await publish('load', [load('PL', `2024-01-01T${hour}:00:00Z`, `2024-01-01T${hour}:15:00Z`)]),
      );
      await publish('load', [load('CZ', `2024-01-01T${hour}:00:00Z`, `2024-01-01T${hour}:15:00Z`)]);
    }
    await client.waitFor((c) => c.updates.length === 3);
    expect(client.updates.map((e) => Number(e.id))).to.deep.equal(seqs);
    expect(seqs).to.deep.equal([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).to.equal(3);
  });

  it('on reconnection with Last-Event-ID replays exactly the missed matching events, then goes on live without gaps or duplicates', async () => {
    // Replay queries wait at this gate, so a live event is sure to arrive in the middle of the replay.
    let gated = false;
    let openGate: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      openGate = resolve;
    });
    const g = await gateway({
      points: async (request: SeriesRequest) => {
        if (request.area === 'BE' && gated) await gate;
        return deterministicPoints(request);
      },
    });
    const query = { dataset: 'load', area: 'BE', from: '2024-01-01', to: '2024-01-02', resolution: 'PT60M' };
    const first = await open(g, query);
    const s1 = await publish('load', [load('BE', '2024-01-01T00:00:00Z', '2024-01-01T00:15:00Z')]);
    await first.waitFor((c) => c.updates.length === 1);
    first.close();
    await until(() => g.live.sessions === 0);

    const s2 = await publish('load', [load('BE', '2024-01-01T01:00:00Z', '2024-01-01T01:15:00Z')]);
    await publish('load', [load('LU', '2024-01-01T01:00:00Z', '2024-01-01T01:15:00Z')]);
    await publish('load', [load('BE', '2024-01-05T01:00:00Z', '2024-01-05T01:15:00Z')]);
    await publish('generation', [generation('BE', 'Solar', '2024-01-01T01:00:00Z', '2024-01-01T01:15:00Z')]);
    const s5 = await publish('load', [load('BE', '2024-01-01T03:00:00Z', '2024-01-01T03:15:00Z')]);

    gated = true;
    const witness = await open(g, { ...query, area: 'AT' });
    const resumed = await open(g, query, { 'Last-Event-ID': String(s1) });
    expect(resumed.events[0]).to.deep.include({ event: 'ready', id: String(s1) });
    expect(JSON.parse(resumed.events[0]!.data)).to.deep.equal({ resumed: true });
    await until(() => g.calls.some((r) => r.area === 'BE' && r.from === at('2024-01-01T01:00Z')));

    const s6 = await publish('load', [
      load('BE', '2024-01-01T05:00:00Z', '2024-01-01T05:15:00Z'),
      load('AT', '2024-01-01T05:00:00Z', '2024-01-01T05:15:00Z'),
    ]);
    await witness.waitFor((c) => c.updates.length === 1);
    openGate();
    await resumed.waitFor((c) => c.updates.length === 3);
    const s7 = await publish('load', [load('BE', '2024-01-01T07:00:00Z', '2024-01-01T07:15:00Z')]);
    await resumed.waitFor((c) => c.updates.length === 4);
    await new Promise((r) => setTimeout(r, QUIET_MS));

    expect(resumed.updates.map((e) => [Number(e.id), times(e)])).to.deep.equal([
      [s2, ['2024-01-01T01:00']],
      [s5, ['2024-01-01T03:00']],
      [s6, ['2024-01-01T05:00']],
      [s7, ['2024-01-01T07:00']],
    ]);
  });

  it('gives sessions that resume while events keep coming every matching event exactly once, in order', async () => {
    const g = await gateway();
    const query = { dataset: 'load', area: 'CH', from: '2024-01-01', to: '2024-01-02' };
    const quarter = (i: number) => new Date(Date.UTC(2024, 0, 1, 0, 15 * i)).toISOString();
    // Published in unawaited bursts, so the stream runs ahead of the gateway's consumer while sessions resume.
    const quarterOf = new Map<number, number>();
    const resuming: { after: number; client: Promise<SseClient> }[] = [];
    for (let burst = 0; burst < 8; burst++) {
      const acks = [];
      for (let i = burst * 8; i < burst * 8 + 8; i++) {
        acks.push(
          publish('load', [load('CH', quarter(i), quarter(i + 1))]).then((seq) => quarterOf.set(seq, i)),
        );
        acks.push(publish('load', [load('AT', quarter(i), quarter(i + 1))]));
      }
      const after = Math.max(0, ...quarterOf.keys());
      resuming.push({ after, client: open(g, query, { 'Last-Event-ID': String(after) }) });
      await Promise.all(acks);
    }
    const matching = [...quarterOf.keys()].sort((a, b) => a - b);
    for (const { after, client } of resuming) {
      const c = await client;
      const expected = matching.filter((seq) => seq > after);
      await c.waitFor((s) => s.updates.length >= expected.length);
      await new Promise((r) => setTimeout(r, 20));
      expect(c.updates.map((e) => Number(e.id))).to.deep.equal(expected);
      expect(c.updates.map((e) => series(e).t[0])).to.deep.equal(
        expected.map((seq) => at(quarter(quarterOf.get(seq)!))),
      );
    }
  });

  it('resumes on another instance: two gateways on the same NATS send the same event with the same id', async () => {
    const otherConnection = await connect({ servers: nats.url });
    try {
      const a = await gateway();
      const b = await gateway({ nc: otherConnection });
      const query = { dataset: 'load', area: 'IT-NORTH', from: '2024-01-01', to: '2024-01-02' };
      const onA = await open(a, query);
      const onB = await open(b, query);

      const s1 = await publish('load', [load('IT-NORTH', '2024-01-01T08:00:00Z', '2024-01-01T08:15:00Z')]);
      await onA.waitFor((c) => c.updates.length === 1);
      await onB.waitFor((c) => c.updates.length === 1);
      expect(onA.updates[0]).to.deep.equal(onB.updates[0]);
      expect(onA.updates[0]!.id).to.equal(String(s1));

      onA.close();
      const s2 = await publish('load', [load('IT-NORTH', '2024-01-01T09:00:00Z', '2024-01-01T09:15:00Z')]);
      const movedToB = await open(b, { ...query, lastEventId: onA.updates[0]!.id! });
      await movedToB.waitFor((c) => c.updates.length === 1);
      expect(movedToB.updates.map((e) => [Number(e.id), times(e)])).to.deep.equal([
        [s2, ['2024-01-01T09:00']],
      ]);
    } finally {
      for (const g of gateways.splice(0)) await g.stop();
      await otherConnection.close();
    }
  });

  it('starts afresh, and says so, when Last-Event-ID is not a position the stream can replay from', async () => {
    const g = await gateway();
    const latest = await publish('load', [load('SE', '2024-01-01T08:00:00Z', '2024-01-01T08:15:00Z')]);
    const client = await open(
      g,
      { dataset: 'load', area: 'SE', from: '2024-01-01', to: '2024-01-02' },
      {
        'Last-Event-ID': String(latest + 1000),
      },
    );
    const ready = client.events[0]!;
    expect(JSON.parse(ready.data)).to.deep.equal({ resumed: false });
    expect(Number(ready.id)).to.be.at.most(latest);
    await new Promise((r) => setTimeout(r, QUIET_MS));
    expect(client.updates).to.deep.equal([]);
  });

  it('frames the stream as SSE: headers, a retry line first, a ready event, then heartbeat comments', async () => {
    const g = await gateway({ heartbeatMs: 100, retryMs: 1234 });
    const client = await open(g, { dataset: 'load', area: 'ES', from: '2024-01-01', to: '2024-01-02' });
    expect(client.res.statusCode).to.equal(200);
    expect(client.res.headers['content-type']).to.match(/^text\/event-stream/);
    expect(client.res.headers['cache-control']).to.equal('no-cache');
    expect(client.res.headers['x-accel-buffering']).to.equal('no');
    await client.waitFor((c) => c.comments.length >= 2);
    expect(client.raw).to.match(
      /^retry: 1234\n\nevent: ready\nid: \d+\ndata: \{"resumed":false\}\n\n: heartbeat\n\n/,
    );
    expect(client.retry).to.equal(1234);
    expect(client.comments.slice(0, 2)).to.deep.equal(['heartbeat', 'heartbeat']);
  });

  it('refuses a heartbeat interval over 25 s, as proxies drop connections silent for 30 s', async () => {
    let error: unknown;
    try {
      await createLiveUpdates({ nc, points: deterministicPoints, heartbeatMs: 30_000 });
    } catch (err) {
      error = err;
    }
    expect(error).to.be.instanceOf(RangeError);
  });

  it('drops a client that stops reading once the server holds more than maxBufferedBytes for it', async () => {
    const registry = new Registry();
    const g = await gateway({ registry });
    const year = { dataset: 'load', area: 'SK', from: '2023-01-01', to: '2024-01-01' };
    const stalled = await open(g, year);
    const reading = await open(g, { ...year, area: 'HU', to: '2023-01-02' });
    stalled.res.socket.pause();

    // A year of quarter-hours is about half a megabyte per update: the socket buffers fill up quickly.
    let published = 0;
    while (g.live.sessions === 2 && published < 200) {
      await publish('load', [load('SK', '2023-01-01T00:00:00Z', '2024-01-01T00:00:00Z')]);
      published++;
      await new Promise((r) => setTimeout(r, 5));
    }
    await until(() => g.live.sessions === 1);
    const held = g.responses[0]!;
    expect(held.maxBuffered).to.be.at.most(256 * 1024 + held.maxChunk);
    const dropped = await registry.getSingleMetric('energylive_gateway_sse_sessions_dropped_total')!.get();
    expect(dropped.values).to.deep.equal([{ value: 1, labels: { reason: 'slow_client' } }]);
    expect(g.logs).to.have.length(1);
    expect(g.logs[0]).to.deep.include({ level: 'info' });

    stalled.res.socket.resume();
    await stalled.ended;
    await publish('load', [load('HU', '2023-01-01T00:00:00Z', '2023-01-01T00:15:00Z')]);
    await reading.waitFor((c) => c.updates.length === 1);
    const sessions = await registry.getSingleMetric('energylive_gateway_sse_sessions')!.get();
    expect(sessions.values[0]!.value).to.equal(1);
  });

  it('drops clients that never read once a bounded amount waits for them, counting what the kernel holds, and resets their connections', async function () {
    if (!fs.existsSync('/proc/net/tcp')) this.skip();
    const registry = new Registry();
    const g = await gateway({ registry });
    const year = { dataset: 'load', area: 'SK', from: '2023-01-01', to: '2024-01-01' };
    const stalled: Awaited<ReturnType<typeof neverReading>>[] = [];
    sockets.push(stalled);
    for (let i = 0; i < 10; i++) {
      stalled.push(await neverReading(g.url(year)));
      await until(() => g.live.sessions === i + 1);
    }
    const readers = [await open(g, year), await open(g, year)];
    const gatewayPort = Number(new URL(g.url(year)).port);

    // A year of quarter-hours is about 600 kB per update; the kernel alone would take several of them
    // for each client before Node held anything.
    const seqs: number[] = [];
    for (let i = 0; i < 6; i++) {
      seqs.push(await publish('load', [load('SK', '2023-01-01T00:00:00Z', '2024-01-01T00:00:00Z')]));
      for (const r of readers) await r.waitFor((c) => c.updates.length === seqs.length, 10_000);
      await new Promise((r) => setTimeout(r, 1_200));
    }
    await until(() => g.live.sessions === 2, 5_000);

    const frame = Math.max(...g.responses.map((r) => r.maxChunk));
    for (const [i, response] of g.responses.slice(0, 10).entries())
      expect(response.written, `stalled client ${i}`).to.be.at.most(256 * 1024 + 2 * frame);
    const dropped = await registry.getSingleMetric('energylive_gateway_sse_sessions_dropped_total')!.get();
    expect(dropped.values).to.deep.equal([{ value: 10, labels: { reason: 'slow_client' } }]);
    // Reset, not closed: nothing of theirs stays in the kernel's table, on either end. A close would
    // leave the server's end offering its unread data to a shut window, and the client's end open, as
    // the FIN queued behind that data never reaches it.
    await until(() => stalled.every((c) => tcpRows(c.port, gatewayPort).length === 0), 2_000).catch(
      () => undefined,
    );
    expect(stalled.map((c) => tcpRows(c.port, gatewayPort))).to.deep.equal(stalled.map(() => []));
    for (const r of readers) expect(r.updates.map((e) => Number(e.id))).to.deep.equal(seqs);
  });

  it('ends a session whose query failed, and the client reconnecting with the ready id gets the event by replay', async () => {
    let failures = 1;
    const g = await gateway({
      points: (request: SeriesRequest) =>
        failures-- > 0 ? Promise.reject(new Error('query actor unavailable')) : deterministicPoints(request),
    });
    const query = { dataset: 'load', area: 'IE', from: '2024-01-01', to: '2024-01-02' };
    const first = await open(g, query);
    const readyId = (await first.ready()).id!;
    const seq = await publish('load', [load('IE', '2024-01-01T04:00:00Z', '2024-01-01T04:15:00Z')]);
    await first.ended;
    expect(first.updates).to.deep.equal([]);
    expect(g.logs.map((l) => [l.level, (l.entry as { msg: string }).msg])).to.deep.equal([
      ['warn', 'live update query failed'],
      ['info', 'live session dropped'],
    ]);

    const again = await open(g, query, { 'Last-Event-ID': readyId });
    await again.waitFor((c) => c.updates.length === 1);
    expect(again.updates.map((e) => [Number(e.id), times(e)])).to.deep.equal([[seq, ['2024-01-01T04:00']]]);
  });

  it('removes the session of a client that goes away, without logging anything', async () => {
    const g = await gateway();
    const client = await open(g, { dataset: 'load', area: 'PT', from: '2024-01-01', to: '2024-01-02' });
    expect(g.live.sessions).to.equal(1);
    client.close();
    await until(() => g.live.sessions === 0 && g.handled === 1);
    await publish('load', [load('PT', '2024-01-01T00:00:00Z', '2024-01-01T00:15:00Z')]);
    await new Promise((r) => setTimeout(r, QUIET_MS));
    expect(g.calls).to.deep.equal([]);
    expect(g.logs).to.deep.equal([]);
  });

  it('close() ends every session with a retry hint spread over drainRetryMs, and stops listening', async () => {
    const g = await gateway({ retryMs: 60_000, drainRetryMs: 2_000 });
    const query = { dataset: 'load', area: 'GR', from: '2024-01-01', to: '2024-01-02' };
    const sessions = [await open(g, query), await open(g, { ...query, area: 'BG' })];
    await g.live.close();
    await Promise.all(sessions.map((c) => c.ended));
    for (const c of sessions) {
      expect(c.raw).to.match(/retry: \d+\n\n$/);
      expect(c.retry).to.be.within(250, 2_250);
    }
    expect(g.live.sessions).to.equal(0);
    expect(g.handled).to.equal(2);
    await publish('load', [load('GR', '2024-01-01T00:00:00Z', '2024-01-01T00:15:00Z')]);
    await new Promise((r) => setTimeout(r, QUIET_MS));
    expect(g.calls).to.deep.equal([]);
  });
});
