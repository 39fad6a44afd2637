import { parseArgs } from 'node:util';
import type { Config } from '../../lib/config/env.js';
import { ACCOUNTS_DB_ROLES, ALL_ROLES, CLICKHOUSE_ROLES, ROLES, type Role } from '../../actors/services.js';
import { createBroker } from '../../actors/runtime/broker.js';
import { startHealthServer } from '../../actors/runtime/health-server.js';
import { ProcessContext } from '../../actors/runtime/process-context.js';
import { brokerConnections, natsAnswers, Readiness } from '../../actors/runtime/readiness.js';
import { logNatsStatus } from '../../actors/runtime/nats-status-log.js';
import { closeNats } from '../../actors/runtime/close-nats.js';
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
  const readiness = new Readiness({
    broker: () => broker.started,
    nats: async () => natsAnswers(await ctx.nats()),
    // The broker's own connections fail and come back apart from the process's.
    transporter: () => natsAnswers(brokerConnections(broker).transporter),
    ...(roles.includes('importer')
      ? { channels: () => natsAnswers(brokerConnections(broker).channels) }
      : {}),
    ...(ownsClickHouse
      ? { clickhouse: async () => (await (await ctx.clickhouse()).client.ping()).success }
      : {}),
    ...(usesAccountsDb
      ? { accountsDb: async () => (await (await ctx.accountsDb()).query('SELECT 1')).length === 1 }
      : {}),
  });
  const health =
    config.healthPort === null
      ? null
      : await startHealthServer({
          port: config.healthPort,
          registry: ctx.metrics.registry,
          ready: () => readiness.run(),
        });

  await ctx.nats();
  if (ownsClickHouse) await ctx.clickhouse();
  if (usesAccountsDb) await ctx.accountsDb();
  await broker.start();
  for (const [name, nc] of Object.entries(brokerConnections(broker)))
    if (nc) logNatsStatus(nc, name, broker.logger);
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
  // Whatever the stop waits for (an import, a NATS server that is gone), the process ends in time: an
  // orchestrator kills it soon after, and a process that hangs on would hold its pod meanwhile.
  setTimeout(() => {
    broker.logger.error({ event: 'stop_timeout', seconds: config.stopTimeoutMs / 1000 });
    process.exit(1);
  }, config.stopTimeoutMs).unref();
  await broker.stop();
  await health?.close();
  await ctx.close();
  // The broker closes its connections only once NATS answers again; nothing is left to send on them now.
  for (const nc of Object.values(brokerConnections(broker))) if (nc) await closeNats(nc);
  nats?.kill('SIGTERM');
  broker.logger.info({ event: 'stopped' });
  return 0;
}
