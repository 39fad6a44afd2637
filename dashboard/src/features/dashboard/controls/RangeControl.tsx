import { RANGE_PRESETS, type RangePreset, type ViewState } from '../view-state';

const LABELS: Record<RangePreset, string> = {
  '24h': '24 h',
  '7d': '7 days',
  '30d': '30 days',
  '1y': '1 year',
  all: 'All',
};

const day = (seconds: number) => new Date(seconds * 1000).toISOString().slice(0, 10);
const seconds = (isoDay: string) => Date.parse(`${isoDay}T00:00:00Z`) / 1000;

/** Range presets, and a custom range of whole days (UTC) that starts from what is shown. */
export function RangeControl(props: {
  range: ViewState['range'];
  resolved: { from: number; to: number };
  onChange: (range: ViewState['range']) => void;
}) {
  const preset = 'preset' in props.range ? props.range.preset : null;
  const setDay = (which: 'from' | 'to', value: string) => {
    const t = seconds(value);
    if (!Number.isFinite(t)) return;
    const next = { ...props.resolved, [which]: which === 'to' ? t + 86400 : t };
    if (next.to > next.from) props.onChange(next);
  };
  return (
    <fieldset class="range-control">
      <legend>Range</legend>
      <div class="segmented" role="group" aria-label="Range presets">
        {RANGE_PRESETS.map((p) => (
          <button
            key={p}
            type="button"
            class={preset === p ? 'segment active' : 'segment'}
            aria-pressed={preset === p}
            onClick={() => {
              props.onChange({ preset: p });
            }}
          >
            {LABELS[p]}
          </button>
        ))}
      </div>
      <div class="custom-range">
        <label>
          <span class="field-label">From</span>
          <input
            type="date"
            value={day(props.resolved.from)}
            onChange={(e) => {
              setDay('from', e.currentTarget.value);
            }}
          />
        </label>
        <label>
          <span class="field-label">To</span>
          <input
            type="date"
            value={day(props.resolved.to - 1)}
            onChange={(e) => {
              setDay('to', e.currentTarget.value);
            }}
          />
        </label>
      </div>
    </fieldset>
  );
}
