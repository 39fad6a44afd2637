import type { Point } from './projection';

/**
 * Where a country's flow arrows start and end: inside its largest polygon (mainland France, not French
 * Guiana; the clipped European part of Russia). The centroid of that polygon's outer ring when it lies
 * inside; for curved shapes (Norway, Croatia) whose centroid falls outside, the middle of the widest
 * stretch of the horizontal line through the centroid.
 */
export function anchorPoint(polygons: readonly (readonly Point[])[]): Point | null {
  let largest: readonly Point[] | null = null;
  let largestArea = 0;
  for (const ring of polygons) {
    const area = Math.abs(signedArea(ring));
    if (area > largestArea) {
      largest = ring;
      largestArea = area;
    }
  }
  if (largest === null) return null;
  const centroid = ringCentroid(largest);
  return contains(largest, centroid) ? centroid : widestMiddle(largest, centroid[1]);
}

function signedArea(ring: readonly Point[]): number {
  let sum = 0;
  forEachEdge(ring, (a, b) => (sum += a[0] * b[1] - b[0] * a[1]));
  return sum / 2;
}

function ringCentroid(ring: readonly Point[]): Point {
  let cx = 0;
  let cy = 0;
  forEachEdge(ring, (a, b) => {
    const cross = a[0] * b[1] - b[0] * a[1];
    cx += (a[0] + b[0]) * cross;
    cy += (a[1] + b[1]) * cross;
  });
  const sixArea = 6 * signedArea(ring);
  return [cx / sixArea, cy / sixArea];
}

function contains(ring: readonly Point[], [x, y]: Point): boolean {
  let inside = false;
  forEachEdge(ring, (a, b) => {
    if (a[1] > y !== b[1] > y && x < a[0] + ((y - a[1]) * (b[0] - a[0])) / (b[1] - a[1])) inside = !inside;
  });
  return inside;
}

function widestMiddle(ring: readonly Point[], y: number): Point {
  const crossings: number[] = [];
  forEachEdge(ring, (a, b) => {
    if (a[1] > y !== b[1] > y) crossings.push(a[0] + ((y - a[1]) * (b[0] - a[0])) / (b[1] - a[1]));
  });
  crossings.sort((p, q) => p - q);
  let best: Point = ring[0] ?? [0, 0];
  let bestWidth = -1;
  for (let i = 0; i + 1 < crossings.length; i += 2) {
    const from = crossings[i] as number;
    const to = crossings[i + 1] as number;
    if (to - from > bestWidth) {
      bestWidth = to - from;
      best = [(from + to) / 2, y];
    }
  }
  return best;
}

/**
 * Calls `visit` for each edge of a ring, the closing one included; on a ring given closed (first point
 * repeated last) that closing edge has zero length and adds nothing to the sums and crossings above.
 */
function forEachEdge(ring: readonly Point[], visit: (a: Point, b: Point) => void): void {
  const n = ring.length;
  for (let i = 0; i < n; i++) visit(ring[i] as Point, ring[(i + 1) % n] as Point);
}
