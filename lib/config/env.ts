import path from 'node:path';

/** Every setting EnergyLive reads from the environment; the README lists them with their defaults. */
export interface Config {
  dataDir: string;
  natsUrl: string;
  /** Moleculer namespace: processes with the same namespace on one NATS form one EnergyLive. */
  namespace: string;
  clickhouse: { url: string | undefined; database: string; cluster: string | undefined };
  source: SourceConfig;
  pollIntervalMs: number;
  datasets: DatasetName[];
  objectStore: { gcsBucket: string | undefined };
  demo: { ftpPort: number; stepMs: number; months: number };
  /**
   * The waits before each new attempt at an import that failed (a full disk, ClickHouse unreachable);
   * after the last the message goes to the dead letters. Its length + 1 is how often an import is tried.
   */
  importRetryDelaysMs: number[];
  logLevel: string;
  /** Port of /healthz, /readyz and /metrics; null turns the endpoint off. */
  healthPort: number | null;
  /** After SIGTERM the process exits within this, whatever it still waits for (an unreachable NATS). */
  stopTimeoutMs: number;
  /** trustProxy: take the client address from X-Forwarded-For (behind an ingress or load balancer). */
  gateway: {
    port: number;
    host: string;
    trustProxy: boolean;
    accessRecheckMs: number;
    /** Data requests one subscriber may have in progress at once, on one gateway; 0: no limit. */
    maxRequestsPerSubscriber: number;
    /** Live streams one subscriber may hold open at once, on one gateway; 0: no limit. */
    maxStreamsPerSubscriber: number;
  };
  /**
   * What one read may cost: ClickHouse stops a query of the query actor after `timeoutMs`; a gateway
   * waits `callTimeoutMs` for the query actor's answer, queueing included.
   */
  query: { timeoutMs: number; callTimeoutMs: number };
  accounts: AccountsConfig;
  billing: BillingConfig;
  google: GoogleConfig;
}

export interface AccountsConfig {
  /** PostgreSQL; unset means embedded PGlite under the data directory. */
  databaseUrl: string | undefined;
  /** Where browsers reach EnergyLive: links in emails, OAuth redirects, the allowed Origin. */
  publicUrl: string;
  sessionIdleMs: number;
  sessionMaxMs: number;
  /** smtp:// or smtps:// URL; unset means emails are written to the log (development). */
  smtpUrl: string | undefined;
  emailFrom: string;
  /** Signs the short-lived OAuth cookie; unset means one generated and kept in the data directory. */
  secret: string | undefined;
}

export interface BillingConfig {
  /** Unset means subscriptions are unavailable; the rest of EnergyLive runs. */
  stripeSecretKey: string | undefined;
  stripeWebhookSecret: string | undefined;
  stripePriceId: string | undefined;
  trialDays: number;
  /** Stripe's API, or a stand-in speaking its protocol. */
  stripeApiUrl: string;
}

export interface GoogleConfig {
  /** Unset means "Continue with Google" is not offered. */
  clientId: string | undefined;
  clientSecret: string | undefined;
  /** OpenID Connect issuer; its discovery document gives the endpoints and keys. */
  issuer: string;
}

export type DatasetName = 'load' | 'generation' | 'flows';
export const DATASET_NAMES: readonly DatasetName[] = ['load', 'generation', 'flows'];

export type SourceConfig =
  | { kind: 'demo' }
  | { kind: 'folder'; path: string }
  | { kind: 'ftp'; url: string }
  | { kind: 'fms'; username: string; password: string; apiUrl: string; tokenUrl: string };

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
  }
}

type Env = Record<string, string | undefined>;

function positiveNumber(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0)
    throw new ConfigError(name, `expected a positive number, got "${raw}"`);
  return value;
}

function count(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0)
    throw new ConfigError(name, `expected a whole number ≥ 0, got "${raw}"`);
  return value;
}

/** Comma-separated seconds, each > 0 (fractions allowed, for tests); at least one. */
function secondsList(env: Env, name: string, fallback: readonly number[]): number[] {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback.map((s) => s * 1000);
  const values = raw.split(',').map((s) => Number(s.trim()));
  if (values.some((v) => !Number.isFinite(v) || v <= 0) || values.length > 100)
    throw new ConfigError(name, `expected comma-separated seconds, each above 0, got "${raw}"`);
  return values.map((v) => Math.round(v * 1000));
}

function datasets(env: Env): DatasetName[] {
  const raw = env.ENERGYLIVE_DATASETS;
  if (!raw) return [...DATASET_NAMES];
  const names = raw.split(',').map((s) => s.trim());
  for (const name of names) {
    if (!(DATASET_NAMES as readonly string[]).includes(name)) {
      throw new ConfigError(
        'ENERGYLIVE_DATASETS',
        `unknown dataset "${name}" (expected ${DATASET_NAMES.join(', ')})`,
      );
    }
  }
  return names as DatasetName[];
}

function source(env: Env): SourceConfig {
  const explicit = env.ENERGYLIVE_SOURCE;
  const fmsUser = env.ENTSOE_FMS_USERNAME;
  const fmsPassword = env.ENTSOE_FMS_PASSWORD;
  const kind = explicit ?? (fmsUser && fmsPassword ? 'fms' : env.ENERGYLIVE_FTP_URL ? 'ftp' : 'demo');
  switch (kind) {
    case 'demo':
      return { kind };
    case 'folder': {
      const folder = env.ENERGYLIVE_SOURCE_FOLDER;
      if (!folder)
        throw new ConfigError('ENERGYLIVE_SOURCE_FOLDER', 'required when ENERGYLIVE_SOURCE=folder');
      return { kind, path: path.resolve(folder) };
    }
    case 'ftp': {
      const url = env.ENERGYLIVE_FTP_URL;
      if (!url) throw new ConfigError('ENERGYLIVE_FTP_URL', 'required when ENERGYLIVE_SOURCE=ftp');
      if (!/^ftps?:\/\//.test(url))
        throw new ConfigError('ENERGYLIVE_FTP_URL', 'must start with ftp:// or ftps://');
      return { kind, url };
    }
    case 'fms':
      if (!fmsUser || !fmsPassword) {
        throw new ConfigError(
          'ENTSOE_FMS_USERNAME',
          'ENTSOE_FMS_USERNAME and ENTSOE_FMS_PASSWORD are required',
        );
      }
      return {
        kind,
        username: fmsUser,
        password: fmsPassword,
        apiUrl: env.ENTSOE_FMS_URL ?? 'https://fms.tp.entsoe.eu',
        tokenUrl:
          env.ENTSOE_FMS_TOKEN_URL ?? 'https://keycloak.tp.entsoe.eu/realms/tp/protocol/openid-connect/token',
      };
    default:
      throw new ConfigError(
        'ENERGYLIVE_SOURCE',
        `unknown source "${kind}" (expected demo, folder, ftp or fms)`,
      );
  }
}

function healthPort(env: Env): number | null {
  const raw = env.ENERGYLIVE_HEALTH_PORT;
  if (raw === 'off') return null;
  if (raw === undefined || raw === '') return 9464;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new ConfigError('ENERGYLIVE_HEALTH_PORT', `expected a port or "off", got "${raw}"`);
  return port;
}

function url(env: Env, name: string, fallback: string): string {
  const raw = env[name] || fallback;
  try {
    const parsed = new URL(raw);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error('not http');
  } catch {
    throw new ConfigError(name, `expected an http(s) URL, got "${raw}"`);
  }
  return raw.replace(/\/+$/, '');
}

function queryLimits(env: Env): Config['query'] {
  const timeout = positiveNumber(env, 'ENERGYLIVE_QUERY_TIMEOUT_SECONDS', 10);
  // By default a little longer than the query may run, so a slow query says so itself.
  const callTimeout = positiveNumber(env, 'ENERGYLIVE_QUERY_CALL_TIMEOUT_SECONDS', timeout + 5);
  return { timeoutMs: timeout * 1000, callTimeoutMs: callTimeout * 1000 };
}

export function loadConfig(env: Env = process.env): Config {
  const dataDir = path.resolve(env.ENERGYLIVE_DATA_DIR ?? './data');
  return {
    dataDir,
    natsUrl: env.NATS_URL ?? 'nats://127.0.0.1:4222',
    namespace: env.ENERGYLIVE_NAMESPACE ?? 'energylive',
    clickhouse: {
      url: env.CLICKHOUSE_URL || undefined,
      database: env.CLICKHOUSE_DATABASE ?? 'energylive',
      cluster: env.CLICKHOUSE_CLUSTER || undefined,
    },
    source: source(env),
    pollIntervalMs: positiveNumber(env, 'ENERGYLIVE_POLL_INTERVAL', 60) * 1000,
    datasets: datasets(env),
    objectStore: { gcsBucket: env.ENERGYLIVE_GCS_BUCKET || undefined },
    demo: {
      ftpPort: positiveNumber(env, 'ENERGYLIVE_DEMO_FTP_PORT', 2121),
      stepMs: positiveNumber(env, 'ENERGYLIVE_DEMO_STEP', 10) * 1000,
      months: count(env, 'ENERGYLIVE_DEMO_MONTHS', 2),
    },
    importRetryDelaysMs: secondsList(env, 'ENERGYLIVE_IMPORT_RETRY_DELAYS', [15, 30, 60, 120, 300, 600]),
    logLevel: env.LOG_LEVEL ?? 'info',
    healthPort: healthPort(env),
    stopTimeoutMs: positiveNumber(env, 'ENERGYLIVE_STOP_TIMEOUT_SECONDS', 25) * 1000,
    gateway: {
      port: count(env, 'ENERGYLIVE_GATEWAY_PORT', 8080),
      host: env.ENERGYLIVE_GATEWAY_HOST ?? '0.0.0.0',
      trustProxy: env.ENERGYLIVE_TRUST_PROXY === 'true',
      accessRecheckMs: positiveNumber(env, 'ENERGYLIVE_ACCESS_RECHECK_SECONDS', 60) * 1000,
      maxRequestsPerSubscriber: count(env, 'ENERGYLIVE_MAX_REQUESTS_PER_SUBSCRIBER', 8),
      maxStreamsPerSubscriber: count(env, 'ENERGYLIVE_MAX_STREAMS_PER_SUBSCRIBER', 24),
    },
    query: queryLimits(env),
    accounts: {
      databaseUrl: env.DATABASE_URL || undefined,
      publicUrl: url(env, 'ENERGYLIVE_PUBLIC_URL', 'http://localhost:8080'),
      sessionIdleMs: positiveNumber(env, 'ENERGYLIVE_SESSION_IDLE_HOURS', 24) * 3600_000,
      sessionMaxMs: positiveNumber(env, 'ENERGYLIVE_SESSION_MAX_DAYS', 30) * 86400_000,
      smtpUrl: env.ENERGYLIVE_SMTP_URL || undefined,
      emailFrom: env.ENERGYLIVE_EMAIL_FROM ?? 'EnergyLive <no-reply@localhost>',
      secret: env.ENERGYLIVE_SECRET || undefined,
    },
    billing: {
      stripeSecretKey: env.STRIPE_SECRET_KEY || undefined,
      stripeWebhookSecret: env.STRIPE_WEBHOOK_SECRET || undefined,
      stripePriceId: env.STRIPE_PRICE_ID || undefined,
      trialDays: count(env, 'ENERGYLIVE_TRIAL_DAYS', 0),
      stripeApiUrl: url(env, 'STRIPE_API_URL', 'https://api.stripe.com'),
    },
    google: {
      clientId: env.GOOGLE_CLIENT_ID || undefined,
      clientSecret: env.GOOGLE_CLIENT_SECRET || undefined,
      issuer: url(env, 'GOOGLE_ISSUER', 'https://accounts.google.com'),
    },
  };
}
