import { openClickHouse } from '../lib/clickhouse/connection.ts';
import fs from 'node:fs'; import zlib from 'node:zlib';
const ch = openClickHouse({ url: undefined, database: 'x', embeddedPath: '/tmp/chtest/db3' });
await ch.client.command({ query: "CREATE TABLE IF NOT EXISTS t (ts DateTime('UTC'), a LowCardinality(String), v Nullable(Float64)) ENGINE=MergeTree ORDER BY (a, ts)" });
fs.writeFileSync('/tmp/chtest/y.tsv.gz', zlib.gzipSync('ts\ta\tv\n2022-01-01 00:00:00\tDE\t12.5\n2022-01-01 00:15:00\tDE\t\\N\n'));
await ch.insertGzipFile('t', '/tmp/chtest/y.tsv.gz', "ts DateTime('UTC'), a String, v Nullable(Float64)");
console.log(await (await ch.client.query({ query: 'SELECT * FROM t', format: 'JSONEachRow' })).json());
await ch.close();
