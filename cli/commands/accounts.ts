import { parseArgs } from 'node:util';
import type { Config } from '../../lib/config/env.js';
import type { AccountSummary } from '../../lib/accounts/complimentary-access.js';
import type { Plan } from '../../lib/accounts/plan.js';
import { createBroker } from '../../actors/runtime/broker.js';
import { asClientError } from '../../actors/runtime/client-error.js';
import { UsageError } from '../usage-error.js';

const USAGE =
  'energylive accounts list [--json] | grant --email <e> --days <n> [--reason <text>] | revoke --email <e>';

function planLine(plan: Plan): string {
  if (!plan.entitled) return plan.status === 'none' ? 'no plan' : `${plan.status}, no access`;
  const until = plan.paidUntil ? plan.paidUntil.slice(0, 10) : '';
  return `${plan.status} until ${until} (${plan.daysLeft} days left)`;
}

function table(accounts: AccountSummary[]): string {
  const rows = accounts.map((a) => [
    a.email,
    a.signIn.join('+') || '-',
    planLine(a.plan),
    a.createdAt.slice(0, 10),
  ]);
  const header = ['EMAIL', 'SIGN-IN', 'PLAN', 'CREATED'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  return [header, ...rows]
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** `energylive accounts …`: the operator's view of accounts, and complimentary access granted by hand. */
export async function runAccounts(args: string[], config: Config): Promise<number> {
  const [sub, ...rest] = args;
  const { values } = parseArgs({
    args: rest,
    options: {
      email: { type: 'string' },
      days: { type: 'string' },
      reason: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  if (sub !== 'list' && sub !== 'grant' && sub !== 'revoke') throw new UsageError(USAGE);
  if (sub !== 'list' && !values.email) throw new UsageError(`--email is required\n${USAGE}`);
  const days = Number(values.days);
  if (sub === 'grant' && (!Number.isInteger(days) || days < 1))
    throw new UsageError('--days: expected a whole number ≥ 1');
  const broker = createBroker({ ...config, logLevel: 'warn' }, { channels: false });
  await broker.start();
  try {
    await broker.waitForServices(['accounts'], 10_000).catch(() => {
      throw new UsageError('no accounts actor answers on NATS; start EnergyLive (energylive start) first');
    });
    try {
      if (sub === 'list') {
        const accounts = await broker.call<AccountSummary[]>('accounts.list');
        process.stdout.write(`${values.json ? JSON.stringify(accounts, null, 2) : table(accounts)}\n`);
      } else if (sub === 'grant') {
        const plan = await broker.call<Plan, Record<string, unknown>>('accounts.grant', {
          email: values.email,
          days,
          reason: values.reason ?? 'complimentary (granted with the CLI)',
        });
        process.stdout.write(`${values.email}: ${planLine(plan)}\n`);
      } else {
        const plan = await broker.call<Plan, Record<string, unknown>>('accounts.revoke', {
          email: values.email,
        });
        process.stdout.write(`${values.email}: complimentary access revoked; now ${planLine(plan)}\n`);
      }
      return 0;
    } catch (err) {
      const client = asClientError(err);
      if (!client) throw err;
      process.stderr.write(`energylive accounts ${sub}: ${client.message}\n`);
      return 1;
    }
  } finally {
    await broker.stop();
  }
}
