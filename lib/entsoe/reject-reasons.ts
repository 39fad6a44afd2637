/** Why a row was left out. Counted per reason and reported with every file. */
export type RejectReason =
  | 'wrong_column_count'
  | 'invalid_utf8'
  | 'line_too_long'
  | 'invalid_datetime'
  | 'misaligned_datetime'
  | 'outside_month'
  | 'future_month'
  | 'invalid_update_time'
  | 'unknown_resolution'
  | 'unknown_area_type'
  | 'invalid_map_code'
  | 'unknown_map_code'
  | 'invalid_area_code'
  | 'unknown_production_type'
  | 'invalid_number'
  | 'negative_value'
  | 'no_value';

export type RejectCounts = Partial<Record<RejectReason, number>>;

export function countReject(counts: RejectCounts, reason: RejectReason, n = 1): void {
  counts[reason] = (counts[reason] ?? 0) + n;
}

export function totalRejected(counts: RejectCounts): number {
  return Object.values(counts).reduce((a, b) => a + b, 0);
}
