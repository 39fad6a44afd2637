import fs from 'node:fs';
import path from 'node:path';
import { createGunzip } from 'node:zlib';
import { createClient, type ClickHouseClient, type ClickHouseSettings } from '@clickhouse/client';
import { createRequire } from 'node:module';
import type * as ChdbConnection from 'chdb/connection';
import { withSettingsClause } from './statement-settings.js';

const require = createRequire(import.meta.url);

/**
 * One client API over two engines: a ClickHouse server when `CLICKHOUSE_URL` is set, or ClickHouse
 * embedded in this process (chdb) under the data directory. chdb allows one process per data directory,
 * so the process that opens it is the only one that may read or write the measurements.
 */
type ClientConnection =
  NonNullable<Parameters<typeof createClient>[0]> extends { connection?: infer C } ? C : never;

export interface ClickHouse {
  readonly client: ClickHouseClient;
  readonly kind: 'embedded' | 'server';
  readonly database: string;
  /** Loads a gzip-compressed canonical TSV file (with a header row) into `table`. */
  insertGzipFile(
    table: string,
    file: string,
    structure: string,
    settings?: ClickHouseSettings,
  ): Promise<void>;
  close(): Promise<void>;
}

export interface ClickHouseOptions {
  url: string | undefined;
  database: string;
  /** Where the embedded engine keeps its data when no server URL is given. */
  embeddedPath: string;
}

/** Canonical files have `\N` for "no value"; these settings keep that strict and reject anything else. */
export const CANONICAL_INPUT_SETTINGS: ClickHouseSettings = {
  input_format_tsv_empty_as_default: 1,
  input_format_allow_errors_num: '0',
  date_time_input_format: 'basic',
};

const STATEMENTS = new Set<string | symbol>(['query', 'command', 'exec', 'insert']);
/** Of these, the client appends a FORMAT clause to what it sends. */
const WITH_CLIENT_FORMAT = new Set<string | symbol>(['query', 'insert']);

interface StatementParams {
  query: string;
  clickhouse_settings?: ClickHouseSettings;
}

/**
 * chdb's connection turns a call's `clickhouse_settings` into `SET` statements on its one session, where
 * they would hold for every later statement of the process, whoever sent it. Written into the statement's
 * own SETTINGS clause instead, they hold for that statement alone, as they do over HTTP; the session is
 * never changed, so statements in flight together (chdb runs a connection's statements one at a time,
 * and every parameterised one of the process in turn) cannot see each other's settings either.
 */
function settingsPerStatement(connection: ClientConnection): ClientConnection {
  return new Proxy(connection, {
    get(target, property) {
      // No receiver: chdb's connection keeps its session in private fields, which only it can read.
      const value: unknown = Reflect.get(target, property);
      if (typeof value !== 'function') return value;
      const method = value as (params: unknown) => unknown;
      if (!STATEMENTS.has(property)) return method.bind(target);
      return (params: StatementParams) => {
        const statement = withSettingsClause(
          params.query,
          params.clickhouse_settings,
          WITH_CLIENT_FORMAT.has(property),
        );
        return method.call(target, {
          ...params,
          query: statement.query,
          clickhouse_settings: statement.settings,
        });
      };
    },
  });
}

export function openClickHouse(options: ClickHouseOptions): ClickHouse {
  if (options.url) {
    const client = createClient({ url: options.url, request_timeout: 300_000 });
    return {
      client,
      kind: 'server',
      database: options.database,
      async insertGzipFile(table, file, _structure, settings) {
        await client.insert({
          table,
          values: fs.createReadStream(file).pipe(createGunzip()),
          format: 'TabSeparatedWithNames',
          clickhouse_settings: { ...settings, ...CANONICAL_INPUT_SETTINGS },
        });
      },
      close: () => client.close(),
    };
  }
  fs.mkdirSync(options.embeddedPath, { recursive: true });
  // Loaded only here: a process with a ClickHouse server never needs chdb, which the container image leaves out.
  const { createChdbConnection } = require('chdb/connection') as typeof ChdbConnection;
  // chdb is built against its own copy of @clickhouse/client-common; the two copies' types differ only nominally.
  const connection = createChdbConnection({ path: options.embeddedPath }) as unknown as ClientConnection;
  const client = createClient({ connection: settingsPerStatement(connection) });
  return {
    client,
    kind: 'embedded',
    database: options.database,
    async insertGzipFile(table, file, structure, settings) {
      // The embedded engine reads the file itself: no bytes cross into JavaScript, and .gz costs little.
      await client.command({
        query: `INSERT INTO ${table} SELECT * FROM file({file:String}, 'TabSeparatedWithNames', {structure:String})`,
        query_params: { file: path.resolve(file), structure },
        clickhouse_settings: { ...settings, ...CANONICAL_INPUT_SETTINGS },
      });
    },
    close: () => client.close(),
  };
}

/** What every statement sent through a scoped handle gets. */
export interface StatementScope {
  /** Added to each statement's own settings, which win. */
  settings?: ClickHouseSettings;
  /** Once aborted, a statement not yet started is not started at all (chdb runs them one at a time). */
  signal?: AbortSignal;
}

const SCOPED = new Set<string | symbol>(['query', 'command', 'exec', 'insert']);

/**
 * The same engine, with `scope` added to every statement sent through the returned handle's client. It
 * shares the connection: closing it closes the engine, so only the handle's owner closes anything.
 */
export function scopedClickHouse(ch: ClickHouse, scope: StatementScope): ClickHouse {
  const client = new Proxy(ch.client, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property);
      if (typeof value !== 'function') return value;
      const method = value as (params: unknown) => unknown;
      if (!SCOPED.has(property)) return method.bind(target);
      return (params: { clickhouse_settings?: ClickHouseSettings; abort_signal?: AbortSignal }) =>
        method.call(target, {
          ...params,
          clickhouse_settings: { ...scope.settings, ...params.clickhouse_settings },
          ...(scope.signal && !params.abort_signal ? { abort_signal: scope.signal } : {}),
        });
    },
  });
  return { ...ch, client };
}
