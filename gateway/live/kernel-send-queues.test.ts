import net from 'node:net';
import os from 'node:os';
import { expect } from 'chai';
import { KernelSendQueues, tableAddress } from './kernel-send-queues.js';

/** A server socket and the client connected to it, the client never reading. */
async function connectedPair(
  listenOn: string,
  connectTo: string,
): Promise<{ server: net.Server; accepted: net.Socket; client: net.Socket }> {
  const server = net.createServer();
  const accepted = new Promise<net.Socket>((resolve) => server.once('connection', resolve));
  await new Promise<void>((resolve) => server.listen(0, listenOn, resolve));
  const client = net.connect((server.address() as net.AddressInfo).port, connectTo);
  client.pause();
  client.on('error', () => undefined);
  return { server, accepted: await accepted, client };
}

const hasIpv6Loopback = Object.values(os.networkInterfaces())
  .flat()
  .some((i) => i?.address === '::1');

describe('kernel send queues', () => {
  const queues = KernelSendQueues.open();
  const cleanup: (() => void)[] = [];

  before(function () {
    if (!queues) this.skip();
  });

  afterEach(() => {
    for (const c of cleanup.splice(0)) c();
  });

  it('writes addresses as the kernel prints them', () => {
    const le = os.endianness() === 'LE';
    expect(tableAddress('127.0.0.1', 'IPv4')).to.equal(le ? '0100007F' : '7F000001');
    expect(tableAddress('::1', 'IPv6')).to.equal(`${'0'.repeat(24)}${le ? '01000000' : '00000001'}`);
    expect(tableAddress('::ffff:127.0.0.1', 'IPv6')).to.equal(
      le ? '0000000000000000FFFF00000100007F' : '00000000000000000000FFFF7F000001',
    );
    expect(tableAddress('2001:db8::8:800:200c:417a', 'IPv6')).to.equal(
      le ? 'B80D01200000000000080800' + '7A410C20' : '20010DB80000000000080800' + '200C417A',
    );
    expect(tableAddress('nonsense', 'IPv4')).to.equal(null);
    expect(tableAddress('1::2::3', 'IPv6')).to.equal(null);
  });

  for (const [name, listenOn, connectTo] of [
    ['IPv4', '127.0.0.1', '127.0.0.1'],
    ['IPv4 on a dual-stack listener', '::', '127.0.0.1'],
    ['IPv6', '::1', '::1'],
  ] as const) {
    it(`finds a connection over ${name}, and what waits in the kernel for a peer that does not read`, async function () {
      if (listenOn !== '127.0.0.1' && !hasIpv6Loopback) this.skip();
      const { server, accepted, client } = await connectedPair(listenOn, connectTo);
      cleanup.push(() => {
        client.destroy();
        accepted.destroy();
        server.close();
      });
      expect((await queues!.read([accepted])).get(accepted)).to.deep.equal({ queued: 0, windowShut: false });
      accepted.write(Buffer.alloc(2 * 1024 * 1024));
      let seen = (await queues!.read([accepted])).get(accepted);
      const deadline = Date.now() + 5_000;
      while (seen?.windowShut !== true && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
        seen = (await queues!.read([accepted])).get(accepted);
      }
      expect(seen?.windowShut).to.equal(true);
      // What the client's buffer took is acknowledged; the rest waits in the server's kernel or in Node.
      expect(seen!.queued + accepted.writableLength).to.be.within(1024 * 1024, 2 * 1024 * 1024);
    });
  }

  it('knows nothing of a socket that is not connected', async () => {
    const socket = new net.Socket();
    expect((await queues!.read([socket])).size).to.equal(0);
  });
});
