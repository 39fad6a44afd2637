import { parseArgs } from 'node:util';
import type { Config } from '../../lib/config/env.js';
import { ACCOUNTS_DB_ROLES, ALL_ROLES, CLICKHOUSE_ROLES, ROLES, type Role } from '../../actors/services.js';
import { createBroker } from '../../actors/runtime/broker.js';
import { startHealthServer } from '../../actors/runtime/health-server.js';
import { ProcessContext } from '../../actors/runtime/process-context.js';
import { UsageError } from '../usage-error.js';
import { ensureLocalNats } from './local-nats.js';

/** `energylive start [--services parser,importer,query]`: runs actors until SIGINT or SIGTERM. */
export async function runStart(args: string[], config: Config): Promise<number> {
  const { values } = parseArgs({ args, options: { services: { type: 'string' } } });
  const roles = (values.services ?? ALL_ROLES.join(',')).split(',').map((s) => s.trim());
  for (const role of roles) {
    if (!(ALL_ROLES as string[]).includes(role))
      throw new UsageError(`unknown service "${role}" (expected ${ALL_ROLES.join(', ')})`);
  }
  const nats = await ensureLocalNats(config, (msg) => {
    process.stdout.write(`${JSON.stringify({ ts: Date.now(), level: 'info', ...msg })}\n`);
  });
  const ctx = new ProcessContext(config);
  const broker = createBroker(config, { channels: roles.includes('importer') });
  for (const role of roles as Role[])
    for (const schema of ROLES[role](ctx, config)) broker.createService(schema);

  const ownsClickHouse = roles.some((r) => (CLICKHOUSE_ROLES as string[]).includes(r));
  const usesAccountsDb = roles.some((r) => (ACCOUNTS_DB_ROLES as string[]).includes(r));
  const health =
    config.healthPort === null
      ? null
      : await startHealthServer({
          port: config.healthPort,
          registry: ctx.metrics.registry,
          ready: async () => {
            const nc = await ctx.nats();
            const checks: Record<string, boolean> = { broker: broker.started, nats: !nc.isClosed() };
            if (ownsClickHouse) checks.clickhouse = (await (await ctx.clickhouse()).client.ping()).success;
            if (usesAccountsDb)
              checks.accountsDb = await (
                await ctx.accountsDb()
              )
                .query('SELECT 1')
                .then(() => true)
                .catch(() => false);
            return checks;
          },
        });

  await ctx.nats();
  if (ownsClickHouse) await ctx.clickhouse();
  if (usesAccountsDb) await ctx.accountsDb();
  await broker.start();
  broker.logger.info({
    event: 'started',
    services: roles,
    clickhouse: config.clickhouse.url ? 'server' : 'embedded',
    accountsDb: config.accounts.databaseUrl ? 'postgres' : 'embedded',
    source: config.source.kind,
    healthPort: health?.port ?? null,
  });

  await new Promise<void>((resolve) => {
    const stop = () => {
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  broker.logger.info({ event: 'stopping' });
  await broker.stop();
  await health?.close();
  await ctx.close();
  nats?.kill('SIGTERM');
  return 0;
}
