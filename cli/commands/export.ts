import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import type { Config } from '../../lib/config/env.js';
import { createBroker } from '../../actors/runtime/broker.js';
import { parseExportRequest } from '../../actors/query/export-query.js';
import { BadRequest } from '../../lib/query/bad-request.js';
import { UsageError } from '../usage-error.js';

/** `energylive export`: stored values at native resolution, UTC, from the process that holds them. */
export async function runExport(args: string[], config: Config): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      dataset: { type: 'string' },
      area: { type: 'string' },
      type: { type: 'string' },
      in: { type: 'string' },
      'area-type': { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      format: { type: 'string', default: 'csv' },
    },
  });
  const params = {
    dataset: values.dataset,
    area: values.area,
    type: values.type,
    in: values.in,
    areaType: values['area-type'],
    from: values.from,
    to: values.to,
    format: values.format,
  };
  try {
    parseExportRequest(params);
  } catch (err) {
    if (err instanceof BadRequest)
      throw new UsageError(
        `--${err.parameter === 'areaType' ? 'area-type' : err.parameter}: ${err.message.split(': ').slice(1).join(': ')}`,
      );
    throw err;
  }
  const broker = createBroker({ ...config, logLevel: 'warn' }, { channels: false });
  await broker.start();
  try {
    await broker.waitForServices(['query'], 10_000).catch(() => {
      throw new UsageError('no query actor answers on NATS; start EnergyLive (energylive start) first');
    });
    try {
      const stream = await broker.call<Readable, typeof params>('query.export', params);
      await pipeline(stream, process.stdout);
      return 0;
    } catch (err) {
      process.stderr.write(`energylive export: ${(err as Error).message}\n`);
      return 1;
    }
  } finally {
    await broker.stop();
  }
}
