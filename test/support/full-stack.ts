import fs from 'node:fs';
import { startAccountStack, type AccountStack } from './account-stack.js';
import { migratedClickHouse, storeRows } from './clickhouse-fixture.js';
import { seriesRows, type FixtureRow } from './entsoe-fixture.js';
import { startGoogleStandin, type GoogleStandin } from './google-standin.js';
import { StripeStandin } from './stripe-standin.js';
import { apiToken, signUp, type Browser } from './subscriber.js';
import { tempDir } from './temp-dir.js';
import type { DatasetName } from '../../lib/config/env.js';

/** What the stack holds: three days of January 2022 in every dataset, for DE and FR. */
export const STORED_FROM = '2022-01-01';
export const STORED_TO = '2022-01-04';

const DAYS = 3;

function storedRows(): Record<DatasetName, FixtureRow[]> {
  const from = `${STORED_FROM} 00:00`;
  return {
    load: [
      ...seriesRows({ dataset: 'load', area: 'DE', from, intervals: 96 * DAYS }),
      ...seriesRows({ dataset: 'load', area: 'FR', from, resolution: 'PT60M', intervals: 24 * DAYS }),
    ],
    generation: [
      ...seriesRows({
        dataset: 'generation',
        area: 'DE',
        productionType: 'Solar',
        from,
        intervals: 96 * DAYS,
      }),
      ...seriesRows({
        dataset: 'generation',
        area: 'DE',
        productionType: 'Wind Onshore',
        from,
        intervals: 96 * DAYS,
      }),
      ...seriesRows({
        dataset: 'generation',
        area: 'FR',
        productionType: 'Nuclear',
        resolution: 'PT60M',
        from,
        intervals: 24 * DAYS,
      }),
    ],
    flows: [
      ...seriesRows({ dataset: 'flows', area: 'DE', inArea: 'FR', from, intervals: 96 * DAYS }),
      ...seriesRows({ dataset: 'flows', area: 'FR', inArea: 'DE', from, intervals: 96 * DAYS }),
    ],
  };
}

export interface Subscriber extends Browser {
  email: string;
  password: string;
  /** A personal API token (`Authorization: Bearer …`). */
  token: string;
}

/**
 * Everything a visitor of a real installation reaches, in this process: gateway, query, accounts and
 * billing actors on the test's own NATS, PostgreSQL, embedded ClickHouse holding `storedRows()`, Stripe
 * and Google stand-ins configured so every billing and Google route is mounted, and one subscriber with
 * complimentary access, a browser session and an API token (more on request).
 */
export interface FullStack {
  stack: AccountStack;
  port: number;
  publicUrl: string;
  stripe: StripeStandin;
  google: GoogleStandin;
  webhookSecret: string;
  subscriber: Subscriber;
  /** Another subscriber like `subscriber`, e.g. one whose session and tokens a test may end. */
  addSubscriber(name: string): Promise<Subscriber>;
  stored: Record<DatasetName, FixtureRow[]>;
  stop(): Promise<void>;
}

export async function startFullStack(env: Record<string, string> = {}): Promise<FullStack> {
  const dataDir = tempDir('energylive-full-');
  const schema = { database: 'energylive' };
  const stored = storedRows();
  // Stored before the stack opens the same directory: embedded ClickHouse allows one handle at a time.
  const ch = await migratedClickHouse(dataDir, schema);
  try {
    for (const dataset of ['load', 'generation', 'flows'] as const)
      await storeRows(ch, schema, dataset, stored[dataset], dataDir);
  } finally {
    await ch.close();
  }
  const webhookSecret = 'whsec_energylive_faults';
  const stripe = await StripeStandin.start();
  const redirectUris: string[] = [];
  const google = await startGoogleStandin({ redirectUris });
  const stack = await startAccountStack({
    ENERGYLIVE_DATA_DIR: dataDir,
    STRIPE_API_URL: stripe.url,
    STRIPE_SECRET_KEY: stripe.secretKey,
    STRIPE_PRICE_ID: stripe.prices[0] ?? '',
    STRIPE_WEBHOOK_SECRET: webhookSecret,
    GOOGLE_CLIENT_ID: google.clientId,
    GOOGLE_CLIENT_SECRET: google.clientSecret,
    GOOGLE_ISSUER: google.issuer,
    ...env,
  });
  redirectUris.push(`${stack.base}/api/v1/auth/connect/google/callback`);
  stripe.webhook = { url: `${stack.base}/api/v1/billing/webhook`, secret: webhookSecret };
  const addSubscriber = async (name: string): Promise<Subscriber> => {
    const email = `${name}-${Date.now()}@example.com`;
    const password = 'correct horse battery staple';
    const browser = await signUp(stack.base, email, password, stack.emailText);
    await stack.broker.call('accounts.grant', { email, days: 30, reason: 'faults test' });
    return { ...browser, email, password, token: await apiToken(stack.base, browser, name) };
  };
  const subscriber = await addSubscriber('subscriber');
  return {
    stack,
    port: Number(new URL(stack.base).port),
    publicUrl: stack.base,
    stripe,
    google,
    webhookSecret,
    subscriber,
    addSubscriber,
    stored,
    async stop() {
      await stack.stop();
      await stripe.close();
      await google.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
