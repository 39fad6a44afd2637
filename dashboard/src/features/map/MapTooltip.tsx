import type { HoverTarget } from './map-view';
import { countryName } from './map-codes';
import { formatMeasure, formatMegawatts, type MapMeasure } from './measures';

export interface MapTooltipProps {
  target: HoverTarget;
  measure: MapMeasure;
  values: Readonly<Record<string, number>>;
}

/** What the pointer is over: a country with its value, or a flow arrow with its power. */
export function MapTooltip({ target, measure, values }: MapTooltipProps) {
  if (target.kind === 'flow') {
    const { from, to, mw } = target.flow;
    return (
      <>
        <strong>
          {countryName(from)} → {countryName(to)}
        </strong>
        <span>Net flow: {formatMegawatts(mw)}</span>
      </>
    );
  }
  const value = values[target.mapCode];
  return (
    <>
      <strong>{target.name}</strong>
      <span>{value === undefined ? 'No data' : formatMeasure(measure, value)}</span>
    </>
  );
}
