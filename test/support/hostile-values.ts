/**
 * Values a hostile or careless client sends in place of a parameter, a body field or a header: what
 * broke other services before (boundary dates, numbers past every integer type, SQL and ClickHouse
 * query-parameter fragments, CR/LF, NUL, non-ASCII and invalid UTF-8, very long values). Each has a
 * label, so a failure names what was sent.
 */
export interface HostileText {
  label: string;
  text: string;
}

/** A value placed into a URL as it is, not percent-encoded again: broken escapes, encoded NUL and CR/LF. */
export interface HostileEncoded {
  label: string;
  encoded: string;
}

const t = (label: string, text: string): HostileText => ({ label, text });

/** Times around what ClickHouse's DateTime (UInt32 seconds) can store, and calendar oddities. */
export const HOSTILE_TIMES: readonly HostileText[] = [
  t('date 1969-12-31', '1969-12-31'),
  t('1969-12-31T23:59:59Z', '1969-12-31T23:59:59Z'),
  t('date 1970-01-01', '1970-01-01'),
  t('1970-01-01T00:00:01Z', '1970-01-01T00:00:01Z'),
  t('date 1900-01-01', '1900-01-01'),
  t('date 0000-01-01', '0000-01-01'),
  t('last storable second', '2106-02-07T06:28:15Z'),
  t('first unstorable second', '2106-02-07T06:28:16Z'),
  t('date 2106-02-08', '2106-02-08'),
  t('date 2107-01-01', '2107-01-01'),
  t('date 9999-12-31', '9999-12-31'),
  t('leap second 2016-12-31T23:59:60Z', '2016-12-31T23:59:60Z'),
  t('2022-01-01T23:59:60', '2022-01-01T23:59:60'),
  t('29 February of a common year', '2022-02-29'),
  t('month 13', '2022-13-01'),
  t('day 32', '2022-01-32'),
  t('hour 24', '2022-01-01T24:00'),
  t('offset +14:00', '2022-01-01T00:00+14:00'),
  t('offset -12:00', '2022-01-01T00:00-12:00'),
  t('offset +99:99', '2022-01-01T00:00+99:99'),
  t('milliseconds', '2022-01-01T00:00:00.999Z'),
  t('nanoseconds', '2022-01-01T00:00:00.999999999Z'),
  t('basic format', '20220101'),
  t('unpadded', '2022-1-1'),
  t('epoch seconds', '1640995200'),
  t('epoch milliseconds', '1640995200000'),
  t('year 275760', '+275760-09-13'),
  t('date with a space', '2022-01-01 00:00'),
];

const LONG = 100_000;

/** Everything else; used for every parameter, field and header. */
export const HOSTILE_TEXTS: readonly HostileText[] = [
  t('empty', ''),
  t('a space', ' '),
  t('a tab', '\t'),
  t('zero', '0'),
  t('minus one', '-1'),
  t('minus zero', '-0'),
  t('1e308', '1e308'),
  t('-1e308', '-1e308'),
  t('2^53+1', '9007199254740993'),
  t('2^64', '18446744073709551616'),
  t('a 400-digit number', '9'.repeat(400)),
  t('NaN', 'NaN'),
  t('Infinity', 'Infinity'),
  t('hex', '0x10'),
  t('true', 'true'),
  t('null', 'null'),
  t('undefined', 'undefined'),
  t('JSON object', '{"$gt":""}'),
  t('JSON array', '[]'),
  t('SQL quote', "DE'"),
  t('SQL tautology', "' OR '1'='1"),
  t('SQL comment', 'DE -- '),
  t('SQL stacked', "DE'; DROP TABLE energylive.load; --"),
  t('SQL union', "DE' UNION ALL SELECT name, '', '' FROM system.tables --"),
  t('SQL sleep', "DE' AND sleep(3) = 0 --"),
  t('backslash quote', "DE\\'"),
  t('backtick', 'DE` FROM system.users --'),
  t('double quote', '"DE"'),
  t('ClickHouse placeholder', '{area:String}'),
  t('ClickHouse placeholder UInt32', '{from:UInt32}'),
  t('ClickHouse placeholder Array', '{x:Array(String)}'),
  t('ClickHouse placeholder in text', 'DE{partition:UInt32}'),
  t('template placeholder', '${area}'),
  t('mustache placeholder', '{{area}}'),
  t('positional placeholder', '$1'),
  t('question-mark placeholder', '?'),
  t('named placeholder', ':area'),
  t('format string', '%s%n%x%d'),
  t('CRLF header injection', 'DE\r\nX-Injected: 1'),
  t('CRLF body injection', 'DE\r\n\r\n<script>alert(1)</script>'),
  t('bare LF', 'DE\nX-Injected: 1'),
  t('bare CR', 'DE\rX-Injected: 1'),
  t('NUL', '\u0000'),
  t('NUL after a code', 'DE\u0000'),
  t('control characters', '\u0001\u0002\u001b[31m\u007f'),
  t('non-ASCII letters', 'DÉ'),
  t('astral characters', '𝔇𝔈💥'),
  t('right-to-left override', '\u202eED'),
  t('fullwidth letters', 'ＤＥ'),
  t('lone surrogate', '\ud800'),
  t('byte-order mark', '\ufeffDE'),
  t('lower case', 'de'),
  t('path traversal', '../../../../etc/passwd'),
  t('encoded path traversal', '..%2f..%2f..%2fetc%2fpasswd'),
  t('absolute path', '/etc/passwd'),
  t('URL', 'https://evil.example/'),
  t('protocol-relative URL', '//evil.example/'),
  t('HTML', '<img src=x onerror=alert(1)>'),
  t('prototype key', '__proto__'),
  t('constructor key', 'constructor'),
  t('comma list', 'DE,FR'),
  t('semicolon list', 'DE;FR'),
  t('15 kB of letters', 'A'.repeat(15_000)),
  t('100 kB of letters', 'A'.repeat(LONG)),
  t('100 kB of digits', '9'.repeat(LONG)),
  t('100 kB of non-ASCII', 'é'.repeat(LONG / 2)),
];

/** Put before and after a valid value, so the value still looks right to a shallow check. */
export const INJECTIONS: readonly HostileText[] = [
  t('NUL', '\u0000'),
  t('SQL quote', "'--"),
  t('ClickHouse placeholder', '{x:String}'),
  t('CRLF', '\r\nX-Injected: 1\r\n'),
  t('control character', '\u001b'),
  t('non-ASCII', 'é💥'),
  t('right-to-left override', '\u202e'),
  t('invisible space', '\u200b'),
  t('10 kB padding', ' '.repeat(10_000)),
];

/** Placed into a URL verbatim: escapes that decode to nothing valid, or to bytes a server must not pass on. */
export const HOSTILE_ENCODED: readonly HostileEncoded[] = [
  { label: 'lone percent', encoded: '%' },
  { label: 'percent and one digit', encoded: '%4' },
  { label: 'percent and non-hex', encoded: '%zz' },
  { label: 'triple percent', encoded: '%%%' },
  { label: 'encoded NUL', encoded: '%00' },
  { label: 'encoded NUL after a code', encoded: 'DE%00' },
  { label: 'encoded CRLF header injection', encoded: 'DE%0d%0aX-Injected:%201' },
  { label: 'truncated UTF-8', encoded: '%E2%82' },
  { label: 'invalid UTF-8 byte', encoded: '%FF' },
  { label: 'overlong slash', encoded: '%C0%AF' },
  { label: 'UTF-16 surrogate as UTF-8', encoded: '%ED%A0%80' },
  { label: 'double-encoded quote', encoded: '%2527' },
  { label: 'encoded ampersand and equals', encoded: 'DE%26area%3DFR' },
  { label: 'encoded hash', encoded: 'DE%23x' },
  { label: 'plus signs', encoded: '+++' },
  { label: 'UTF-16 escape', encoded: '%u0044%u0045' },
];

/** JSON values of the wrong type for a field that wants a string. */
export const WRONG_TYPES: readonly { label: string; value: unknown }[] = [
  { label: 'number', value: 1 },
  { label: 'negative number', value: -1e308 },
  { label: 'boolean', value: true },
  { label: 'null', value: null },
  { label: 'array', value: ['a', 'b'] },
  { label: 'empty array', value: [] },
  { label: 'object', value: { $ne: null } },
  { label: 'nested object', value: { a: { b: { c: { d: 'e' } } } } },
  { label: 'array of 10,000 strings', value: Array.from({ length: 10_000 }, () => 'x') },
];
