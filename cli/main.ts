import { ConfigError, loadConfig } from '../lib/config/env.js';
import { runAccounts } from './commands/accounts.js';
import { runExport } from './commands/export.js';
import { runIngest } from './commands/ingest.js';
import { runMigrate } from './commands/migrate.js';
import { runReplay } from './commands/replay.js';
import { runStart } from './commands/start.js';
import { runStatus } from './commands/status.js';
import { UsageError } from './usage-error.js';

const USAGE = `energylive <command> [options]

  start [--services parser,importer,query]   run actors in this process (default: all)
  ingest <file|folder>...                    push local ENTSO-E files through the pipeline
  replay --dataset <d> --month YYYY-MM        import a month again from what JetStream retains
  export --dataset <d> --area <MapCode> [--type <ProductionType>] [--in <MapCode>]
         [--area-type CTY|BZN|CTA] --from <ISO> --to <ISO> [--format csv|json]
  status                                     streams, consumers, dead letters, last imports
  migrate                                    apply NATS definitions, ClickHouse and accounts migrations
  accounts list [--json]                     accounts, how they sign in, their plans
  accounts grant --email <e> --days <n> [--reason <text>]
                                             complimentary access, recorded as such
  accounts revoke --email <e>                end complimentary access now

Settings come from environment variables; see README.md.`;

const commands: Record<string, (args: string[], config: ReturnType<typeof loadConfig>) => Promise<number>> = {
  start: runStart,
  ingest: runIngest,
  replay: runReplay,
  export: runExport,
  status: runStatus,
  migrate: runMigrate,
  accounts: runAccounts,
};

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return name === undefined ? 2 : 0;
  }
  const command = commands[name];
  if (!command) {
    process.stderr.write(`energylive: unknown command "${name}"\n\n${USAGE}\n`);
    return 2;
  }
  try {
    return await command(args, loadConfig());
  } catch (err) {
    if (err instanceof UsageError || err instanceof ConfigError) {
      process.stderr.write(`energylive ${name}: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
}

process.exitCode = await main(process.argv.slice(2));
