import type { ClickHouseSettings } from '@clickhouse/client';

/**
 * Settings the embedded connection takes care of without a `SET`, which the engine would not know in a
 * SETTINGS clause: `default_format` picks the connection's output format, `wait_end_of_query` means
 * something only over HTTP.
 */
const CONNECTION_OWN = new Set(['default_format', 'wait_end_of_query']);

/** Statements whose grammar has no SETTINGS clause. */
const NO_SETTINGS_CLAUSE = /^\s*(SYSTEM|SET|USE)\b/i;

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The FORMAT clause the client appends to what `query` and `insert` send. */
const CLIENT_FORMAT = /\s+FORMAT\s+\w+\s*$/;

function literal(value: NonNullable<ClickHouseSettings[string]>): string {
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? '1' : '0';
  // A SettingsMap prints itself as a map literal.
  if (typeof value === 'object') return value.toString();
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

export interface StatementWithSettings {
  query: string;
  /** What is left for the connection itself: only the settings it handles without a `SET`. */
  settings: ClickHouseSettings;
}

/**
 * A statement with the settings given for it written into its own SETTINGS clause, so they hold for this
 * statement alone, as they do over HTTP, instead of for the session. A SETTINGS clause the statement
 * already has comes first and wins, as it does over HTTP. `clientFormat`: the client appended a FORMAT
 * clause, which must stay last.
 */
export function withSettingsClause(
  query: string,
  settings: ClickHouseSettings | undefined,
  clientFormat: boolean,
): StatementWithSettings {
  const own: ClickHouseSettings = {};
  const clause: string[] = [];
  for (const [name, value] of Object.entries(settings ?? {})) {
    if (value === undefined) continue;
    if (CONNECTION_OWN.has(name)) {
      own[name] = value;
      continue;
    }
    if (!NAME.test(name)) throw new Error(`invalid ClickHouse setting name: ${JSON.stringify(name)}`);
    clause.push(`${name} = ${literal(value)}`);
  }
  if (clause.length === 0) return { query, settings: own };
  if (NO_SETTINGS_CLAUSE.test(query))
    throw new Error(`settings cannot be given to "${query.trim().split(/\s+/)[0] ?? ''}" statements here`);
  // On a line of its own: a statement that ends in a `--` comment must not swallow the clause.
  const settingsClause = `\nSETTINGS ${clause.join(', ')}`;
  const format = clientFormat ? CLIENT_FORMAT.exec(query) : null;
  if (!format) return { query: `${query}${settingsClause}`, settings: own };
  return {
    query: `${query.slice(0, format.index)}${settingsClause}\n${format[0].trimStart()}`,
    settings: own,
  };
}
