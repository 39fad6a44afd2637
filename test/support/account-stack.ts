import fs from 'node:fs';
import type { ServiceBroker } from 'moleculer';
import pg from 'pg';
import { accountsService } from '../../actors/accounts/accounts.service.js';
import { billingService } from '../../actors/billing/billing.service.js';
import { queryService } from '../../actors/query/query.service.js';
import { createBroker } from '../../actors/runtime/broker.js';
import { ProcessContext } from '../../actors/runtime/process-context.js';
import { gatewayService } from '../../gateway/gateway.service.js';
import { CapturingMailer } from './capturing-mailer.js';
import { testConfig } from './config.js';
import { freePort, startNatsServer, type TestNatsServer } from './nats-server.js';
import { createTestDatabase } from './postgres.js';
import { tempDir } from './temp-dir.js';

/**
 * The accounts, billing, query and gateway actors in this process on the test's own NATS and its own
 * PostgreSQL database, with a mailer that keeps what it sends: what the account tests run against.
 */
export interface AccountStack {
  base: string;
  broker: ServiceBroker;
  /** The actors' process context: its ClickHouse, for storing the measurements a test reads. */
  ctx: ProcessContext;
  /** Direct access to the accounts database, for arranging time (expired sessions) and checking rows. */
  sql: pg.Pool;
  mailer: CapturingMailer;
  natsUrl: string;
  namespace: string;
  emailText: (to: string) => Promise<string>;
  stop: () => Promise<void>;
}

export async function startAccountStack(env: Record<string, string> = {}): Promise<AccountStack> {
  const nats: TestNatsServer = await startNatsServer();
  const database = await createTestDatabase();
  const sql = new pg.Pool({ connectionString: database.url });
  const dataDir = tempDir();
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const config = testConfig(nats.url, dataDir, {
    DATABASE_URL: database.url,
    ENERGYLIVE_GATEWAY_PORT: String(port),
    ENERGYLIVE_GATEWAY_HOST: '127.0.0.1',
    ENERGYLIVE_PUBLIC_URL: base,
    ...env,
  });
  const mailer = new CapturingMailer();
  const ctx = new ProcessContext(config);
  const broker = createBroker(config, { channels: false });
  broker.createService(accountsService(ctx, { mailer }));
  broker.createService(billingService(ctx));
  broker.createService(queryService(ctx));
  broker.createService(gatewayService(ctx));
  await broker.start();
  await broker.waitForServices(['accounts', 'billing', 'query']);
  return {
    base,
    broker,
    ctx,
    sql,
    mailer,
    natsUrl: nats.url,
    namespace: config.namespace,
    emailText: async (to) => (await mailer.next(to)).text,
    stop: async () => {
      await broker.stop();
      await ctx.close();
      await sql.end();
      await database.drop();
      await nats.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
