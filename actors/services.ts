import type { ServiceSchema } from 'moleculer';
import type { Config } from '../lib/config/env.js';
import { importerService } from './importer/importer.service.js';
import { parserService } from './parser/parser.service.js';
import { queryService } from './query/query.service.js';
import { gatewayService } from '../gateway/gateway.service.js';
import { accountsService } from './accounts/accounts.service.js';
import { billingService } from './billing/billing.service.js';
import type { ProcessContext } from './runtime/process-context.js';

/** The roles a process can take (`energylive start --services …`), each a set of Moleculer services. */
export const ROLES = {
  parser: (ctx: ProcessContext, config: Config) => config.datasets.map((d) => parserService(ctx, d)),
  importer: (ctx: ProcessContext, config: Config) => config.datasets.map((d) => importerService(ctx, d)),
  query: (ctx: ProcessContext) => [queryService(ctx)],
  accounts: (ctx: ProcessContext) => [accountsService(ctx)],
  billing: (ctx: ProcessContext) => [billingService(ctx)],
  gateway: (ctx: ProcessContext) => [gatewayService(ctx)],
} satisfies Record<string, (ctx: ProcessContext, config: Config) => ServiceSchema[]>;

export type Role = keyof typeof ROLES;
export const ALL_ROLES = Object.keys(ROLES) as Role[];

/** Roles that read or write the measurements: with embedded ClickHouse they must share one process. */
export const CLICKHOUSE_ROLES: readonly Role[] = ['importer', 'query'];

/** Roles that use the accounts database: with embedded PGlite they must share one process too. */
export const ACCOUNTS_DB_ROLES: readonly Role[] = ['accounts', 'billing'];
