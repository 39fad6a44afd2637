import type { ColorScale } from './color-scale';
import { MEASURE_LABELS, formatTick, type MapMeasure } from './measures';

export interface MapLegendProps {
  measure: MapMeasure;
  scale: ColorScale;
}

const GRADIENT_STEPS = 12;

/** The colour ramp of the measure with its end and middle values, and the mark for countries without data. */
export function MapLegend({ measure, scale }: MapLegendProps) {
  const [low, high] = scale.domain;
  const colors = Array.from({ length: GRADIENT_STEPS + 1 }, (_, i) =>
    scale.color(low + ((high - low) * i) / GRADIENT_STEPS),
  );
  const unit = measure === 'renewableShare' ? '' : ' (MW)';
  return (
    <div class="country-map__legend">
      <span class="country-map__legend-title">
        {MEASURE_LABELS[measure]}
        {unit}
      </span>
      <div class="country-map__legend-scale">
        <div
          class="country-map__legend-bar"
          style={{ background: `linear-gradient(to right, ${colors.join(', ')})` }}
        />
        <div class="country-map__legend-ticks">
          <span>{formatTick(measure, low)}</span>
          <span>{formatTick(measure, (low + high) / 2)}</span>
          <span>{formatTick(measure, high)}</span>
        </div>
        {measure === 'netImport' && (
          <div class="country-map__legend-ticks">
            <span>export</span>
            <span>import</span>
          </div>
        )}
      </div>
      <span class="country-map__legend-nodata">
        <span class="country-map__nodata-swatch" aria-hidden="true" />
        No data
      </span>
    </div>
  );
}
