import type { DatasetSpec } from '../entsoe/datasets.js';
import { stepSecondsSql } from './step-sql.js';

/**
 * Sums per series and hour, and per series and day, kept beside each measurement table so rollups read
 * far fewer rows: a year of one area's 16 production types is 140 k hourly rows instead of 560 k native
 * ones, ten years of one series 3,650 daily rows instead of 88 k hourly ones. Every native interval (15,
 * 30 or 60 minutes) lies inside one hour, so Σ(value × seconds) and Σ seconds give exactly the
 * time-weighted mean of any bucket made of whole hours (or whole days).
 */
export type Rollup = 'hourly' | 'daily';
export const ROLLUPS: readonly Rollup[] = ['hourly', 'daily'];

/** The time column of a rollup table, and its length in seconds. */
export const ROLLUP_TIME: Record<Rollup, { column: string; seconds: number }> = {
  hourly: { column: 'hour', seconds: 3600 },
  daily: { column: 'day', seconds: 86400 },
};

export const rollupName = (spec: DatasetSpec, rollup: Rollup) => `${spec.name}_${rollup}`;

/** The series columns without the resolution: a series that changes resolution stays one rolled-up series. */
export function rollupSeriesColumns(spec: DatasetSpec): string[] {
  return spec.seriesKey.filter((c) => c !== 'resolution');
}

export function rollupColumnsSql(spec: DatasetSpec, rollup: Rollup): string {
  const series = rollupSeriesColumns(spec).map((name) => {
    const column = spec.columns.find((c) => c.name === name);
    return `${name} ${column?.clickhouseType ?? 'String'}`;
  });
  return [...series, `${ROLLUP_TIME[rollup].column} DateTime('UTC')`, 'vw Float64', 'w UInt32'].join(', ');
}

/** Fills an hourly table from measurement rows of `source` that match `where`. */
export function hourlyInsertSql(spec: DatasetSpec, target: string, source: string, where: string): string {
  const series = rollupSeriesColumns(spec).join(', ');
  const step = stepSecondsSql();
  return (
    `INSERT INTO ${target} (${series}, hour, vw, w) SELECT ${series}, toStartOfHour(ts) AS hour, ` +
    `sum(value * ${step}) AS vw, sum(${step}) AS w FROM ${source} WHERE value IS NOT NULL AND ${where} GROUP BY ${series}, hour`
  );
}

/** Fills a daily table from the hourly sums of `source` that match `where`. */
export function dailyInsertSql(spec: DatasetSpec, target: string, source: string, where: string): string {
  const series = rollupSeriesColumns(spec).join(', ');
  return (
    `INSERT INTO ${target} (${series}, day, vw, w) SELECT ${series}, toStartOfDay(hour) AS day, sum(vw) AS vw, sum(w) AS w ` +
    `FROM ${source} WHERE ${where} GROUP BY ${series}, day`
  );
}
