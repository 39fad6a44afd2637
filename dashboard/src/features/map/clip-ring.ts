import type { Extent, Point } from './projection';

type Inside = (p: Point) => boolean;
type Cross = (a: Point, b: Point) => Point;

/**
 * Clips a closed polygon ring to a rectangle (Sutherland–Hodgman, one edge at a time). Russia, Turkey or
 * Norway's Arctic islands then add only the vertices that can show. A ring that leaves the rectangle and
 * comes back may keep a zero-width seam along the edge; it is invisible because the edge is off screen.
 * Returns the clipped ring closed (first point repeated last), or null if nothing is left.
 */
export function clipRing(ring: readonly Point[], [minX, minY, maxX, maxY]: Extent): Point[] | null {
  const atX =
    (x: number): Cross =>
    (a, b) => [x, a[1] + ((b[1] - a[1]) * (x - a[0])) / (b[0] - a[0])];
  const atY =
    (y: number): Cross =>
    (a, b) => [a[0] + ((b[0] - a[0]) * (y - a[1])) / (b[1] - a[1]), y];
  const edges: [Inside, Cross][] = [
    [(p) => p[0] >= minX, atX(minX)],
    [(p) => p[0] <= maxX, atX(maxX)],
    [(p) => p[1] >= minY, atY(minY)],
    [(p) => p[1] <= maxY, atY(maxY)],
  ];
  let points = openRing(ring);
  for (const [inside, cross] of edges) {
    if (points.length === 0) break;
    const next: Point[] = [];
    let previous = points[points.length - 1] as Point;
    for (const current of points) {
      if (inside(current)) {
        if (!inside(previous)) next.push(cross(previous, current));
        next.push(current);
      } else if (inside(previous)) {
        next.push(cross(previous, current));
      }
      previous = current;
    }
    points = next;
  }
  if (points.length < 3) return null;
  return [...points, points[0] as Point];
}

function openRing(ring: readonly Point[]): Point[] {
  const first = ring[0];
  const last = ring[ring.length - 1];
  const closed = first !== undefined && last !== undefined && first[0] === last[0] && first[1] === last[1];
  return closed ? ring.slice(0, -1) : ring.slice();
}
