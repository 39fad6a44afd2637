// The server's set, which its map snapshot uses too: the map and this panel agree.
import { RENEWABLE_TYPES } from '../../../../lib/entsoe/renewables';

/** The renewable part of generation shares (0..1 per type), or null without shares. */
export function renewableShare(shares: Readonly<Record<string, number>> | undefined): number | null {
  if (!shares || Object.keys(shares).length === 0) return null;
  let share = 0;
  for (const [type, value] of Object.entries(shares)) if (RENEWABLE_TYPES.has(type)) share += value;
  return Math.min(1, share);
}
