export interface Flow {
  out: string;
  in: string;
  mw: number;
}

/** What one arrow shows: the net exchange between two countries, always positive, from `from` into `to`. */
export interface NetFlow {
  from: string;
  to: string;
  mw: number;
}

/**
 * Nets the flows of each pair of countries. Physical flows are published per direction and a border can
 * carry some of each over an interval; two opposite arrows on one border would hide each other, so the
 * map draws the difference. A pair that nets to under 0.5 MW draws nothing.
 */
export function netFlows(flows: readonly Flow[]): NetFlow[] {
  const byPair = new Map<string, { a: string; b: string; mw: number }>();
  for (const flow of flows) {
    if (flow.out === flow.in || !Number.isFinite(flow.mw)) continue;
    const [a, b] = flow.out < flow.in ? [flow.out, flow.in] : [flow.in, flow.out];
    const key = `${a}>${b}`;
    const pair = byPair.get(key) ?? { a, b, mw: 0 };
    pair.mw += flow.out === a ? flow.mw : -flow.mw;
    byPair.set(key, pair);
  }
  const result: NetFlow[] = [];
  for (const { a, b, mw } of byPair.values()) {
    if (Math.abs(mw) < 0.5) continue;
    result.push(mw > 0 ? { from: a, to: b, mw } : { from: b, to: a, mw: -mw });
  }
  return result;
}
