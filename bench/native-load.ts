/**
 * The reference of `npm run bench:ingest`: embedded ClickHouse loading an official ENTSO-E file by itself,
 * all area types, into a MergeTree table partitioned like EnergyLive's. Run as its own process (chdb
 * allows one data directory per process); prints one JSON line.
 */
import { createClient } from '@clickhouse/client';
import { createChdbConnection } from 'chdb/connection';

const [file, dataDir] = process.argv.slice(2);
if (!file || !dataDir) throw new Error('usage: native-load.ts <file> <data dir>');
const client = createClient({ connection: createChdbConnection({ path: dataDir }) as never });
// The same column types, partitioning and sort order as EnergyLive's generation table: the same work.
const structure =
  "DateTime DateTime('UTC'), ResolutionCode String, AreaCode String, AreaTypeCode String, AreaName String, MapCode String, " +
  "ProductionType String, ActualGenerationOutput Nullable(Float64), ActualConsumption Nullable(Float64), UpdateTime DateTime64(3, 'UTC')";
await client.command({
  query: `CREATE TABLE reference (${structure}) ENGINE = MergeTree PARTITION BY toYYYYMM(DateTime) ORDER BY (AreaTypeCode, MapCode, ProductionType, ResolutionCode, DateTime)`,
});
const started = process.hrtime.bigint();
await client.command({
  query: `INSERT INTO reference SELECT * FROM file({file:String}, 'TSVWithNames', {structure:String})`,
  query_params: { file, structure },
  clickhouse_settings: {
    input_format_tsv_crlf_end_of_line: 1,
    input_format_tsv_empty_as_default: 1,
    date_time_input_format: 'best_effort',
  },
});
const ms = Number(process.hrtime.bigint() - started) / 1e6;
const rows = await (
  await client.query({ query: 'SELECT count() AS n FROM reference', format: 'JSONEachRow' })
).json<{ n: string }>();
await client.close();
process.stdout.write(
  `${JSON.stringify({ ms, rows: Number(rows[0]?.n), maxRssMB: process.resourceUsage().maxRSS / 1024 })}\n`,
);
