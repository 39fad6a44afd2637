import type { DatasetSpec } from '../entsoe/datasets.js';

/**
 * Hourly sums per series, kept beside each measurement table so rollups of an hour or coarser read about
 * a quarter of the rows (a year of one area's 16 production types: 140 k rows instead of 560 k). Every
 * native interval (15, 30 or 60 minutes) lies inside one hour, so Σ(value × seconds) and Σ seconds per
 * hour give exactly the time-weighted mean of any bucket made of whole hours.
 */
export const hourlyName = (spec: DatasetSpec) => `${spec.name}_hourly`;

/** The series columns without the resolution: a series that changes resolution stays one hourly series. */
export function hourlySeriesColumns(spec: DatasetSpec): string[] {
  return spec.seriesKey.filter((c) => c !== 'resolution');
}

export function hourlyColumnsSql(spec: DatasetSpec): string {
  const series = hourlySeriesColumns(spec).map((name) => {
    const column = spec.columns.find((c) => c.name === name);
    return `${name} ${column?.clickhouseType ?? 'String'}`;
  });
  return [...series, "hour DateTime('UTC')", 'vw Float64', 'w UInt32'].join(', ');
}

/** Fills `target` with the hourly sums of the rows of `source` that match `where`. */
export function hourlyInsertSql(spec: DatasetSpec, target: string, source: string, where: string): string {
  const series = hourlySeriesColumns(spec).join(', ');
  return (
    `INSERT INTO ${target} (${series}, hour, vw, w) SELECT ${series}, toStartOfHour(ts) AS hour, ` +
    `sum(value * step) AS vw, sum(step) AS w FROM (SELECT *, multiIf(resolution = 'PT15M', 900, resolution = 'PT30M', 1800, 3600) AS step ` +
    `FROM ${source} WHERE value IS NOT NULL AND ${where}) GROUP BY ${series}, hour`
  );
}
