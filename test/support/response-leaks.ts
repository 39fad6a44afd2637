/**
 * What an answer to the public must never show: how the server is built and where it runs. Each
 * pattern names what it catches, so a failure says what leaked.
 */
const LEAKS: readonly [string, RegExp][] = [
  // `at fn (file:line:column)` or `at file:line:column`: a function name has no spaces (prose does).
  [
    'a stack frame',
    /\bat (?:async |new )?[\w$.<>[\]]+(?: \[as [\w$]+\])? \((?:[^()\s]*:\d+:\d+|<anonymous>|native|index \d+)\)|\bat (?:file:\/\/)?\/[\w./-]+:\d+:\d+/,
  ],
  ['a source position', /\.(?:ts|js|mjs|cjs):\d+(?::\d+)?/],
  ['a file path', /(?:\/work\/|\/home\/|\/tmp\/|\/usr\/(?:lib|local|share)\/|\/var\/|[A-Z]:\\\\|file:\/\/)/],
  ['node_modules', /node_modules/],
  ['ClickHouse', /clickhouse|chdb/i],
  ['a ClickHouse error code', /Code: \d+|DB::Exception|\bUInt(?:8|16|32|64)\b|\bDateTime64\b|\bFloat64\b/],
  ['SQL', /\b(?:SELECT\b[\s\S]{0,200}\bFROM|INSERT INTO|ALTER TABLE|toYYYYMM|REPLACE PARTITION)\b/i],
  [
    'a PostgreSQL error',
    /violates|relation "|syntax error at or near|invalid input syntax|duplicate key|null value in column|invalid byte sequence|encoding "UTF8"|pglite/i,
  ],
  ['Moleculer', /moleculer|\bbroker\b|\bnodeID\b/i],
  ['NATS', /nats:\/\/|\bNatsError\b|jetstream/i],
  ['a connection string', /postgres(?:ql)?:\/\/|ECONNREFUSED|EPIPE|ECONNRESET/],
  [
    'an exception class',
    /\b(?:TypeError|RangeError|SyntaxError|ReferenceError|EvalError|URIError|AggregateError|[A-Z]\w*(?:Error|Exception)(?=[:\s"]))/,
  ],
  [
    'a JavaScript error message',
    /Cannot read propert|is not a function|is not valid JSON|Unexpected token|Unexpected end of JSON|undefined is not/,
  ],
];

/** Words the API uses on purpose that the patterns above would otherwise catch. */
const ALLOWED = [/"code":"[A-Z_]+"/g];

/** What leaked in `text`, after removing every value the request itself sent (an answer may echo it). */
export function leaksIn(text: string, sent: readonly string[]): string[] {
  let t = text;
  for (const value of [...sent].sort((a, b) => b.length - a.length)) {
    if (value.length < 3) continue;
    for (const form of new Set([value, JSON.stringify(value).slice(1, -1), encodeURIComponentSafe(value)]))
      t = t.split(form).join(' ');
  }
  for (const allowed of ALLOWED) t = t.replace(allowed, ' ');
  const found: string[] = [];
  for (const [what, pattern] of LEAKS) {
    const m = pattern.exec(t);
    if (m)
      found.push(
        `${what} (${JSON.stringify(t.slice(Math.max(0, m.index - 40), m.index + m[0].length + 40))})`,
      );
  }
  return found;
}

function encodeURIComponentSafe(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return value;
  }
}
