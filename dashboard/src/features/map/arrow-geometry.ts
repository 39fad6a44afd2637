import type { Point } from './projection';

/** Sizes in pixels; multiplied by the view's resolution they become map units. */
export interface ArrowSize {
  length: number;
  shaftWidth: number;
  headLength: number;
  headWidth: number;
}

const MIN_SHAFT = 1.5;
const MAX_SHAFT = 7;
const MAX_LENGTH = 40;
/** Gap (pixels) from which arrows take their full size; closer countries get smaller arrows, down to half. */
const FULL_SIZE_GAP = 90;

/**
 * How big an arrow carrying `mw` is next to the largest on the map (`maxMw`): the shaft's area grows with
 * the power, so its width with the square root. `gap` is the distance in pixels between the two countries'
 * anchors: the arrow takes half of it, and shrinks where countries sit close together on screen (a
 * zoomed-out or phone-sized map), so arrows around small countries do not pile up.
 */
export function arrowSize(mw: number, maxMw: number, gap: number): ArrowSize {
  const share = maxMw > 0 ? Math.sqrt(Math.min(Math.max(mw / maxMw, 0), 1)) : 0;
  const scale = Math.min(Math.max(gap / FULL_SIZE_GAP, 0.5), 1);
  const shaftWidth = (MIN_SHAFT + (MAX_SHAFT - MIN_SHAFT) * share) * scale;
  const headLength = 4 + shaftWidth * 1.2;
  const headWidth = 3 + shaftWidth * 2;
  const length = Math.max(headLength + 5, Math.min(gap / 2, MAX_LENGTH));
  return { length, shaftWidth, headLength, headWidth };
}
/**
 * An arrow as a closed polygon ring, centred halfway between `from` and `to` and pointing at `to`; sizes in
 * the same units as the points. Returns null when the two points coincide, which have no direction.
 */
export function arrowPolygon(from: Point, to: Point, size: ArrowSize): Point[] | null {
  const dx = to[0] - from[0];
  const dy = to[1] - from[1];
  const distance = Math.hypot(dx, dy);
  if (distance === 0) return null;
  const ux = dx / distance;
  const uy = dy / distance;
  const at = (along: number, across: number): Point => [
    (from[0] + to[0]) / 2 + ux * along - uy * across,
    (from[1] + to[1]) / 2 + uy * along + ux * across,
  ];
  const tail = -size.length / 2;
  const tip = size.length / 2;
  const neck = tip - size.headLength;
  const shaft = size.shaftWidth / 2;
  const head = size.headWidth / 2;
  const start = at(tail, shaft);
  return [
    start,
    at(neck, shaft),
    at(neck, head),
    at(tip, 0),
    at(neck, -head),
    at(neck, -shaft),
    at(tail, -shaft),
    start,
  ];
}
