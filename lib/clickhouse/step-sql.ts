/** Interval length in seconds of a row, from its ResolutionCode column; the codes the parser accepts. */
export function stepSecondsSql(column = 'resolution'): string {
  return `multiIf(${column} = 'PT15M', 900, ${column} = 'PT30M', 1800, 3600)`;
}
