import type { Resolution } from '../../../api/types';
import { RESOLUTION_CHOICES, type ResolutionChoice, type TimeZoneChoice } from '../view-state';

const RESOLUTION_LABELS: Record<ResolutionChoice, string> = {
  auto: 'Auto',
  native: 'Native',
  PT60M: 'Hour',
  P1D: 'Day',
  P1W: 'Week',
  P1M: 'Month',
};

const EFFECTIVE_LABELS: Record<Resolution, string> = {
  native: 'native',
  PT15M: '15 min',
  PT30M: '30 min',
  PT60M: 'hourly',
  P1D: 'daily',
  P1W: 'weekly',
  P1M: 'monthly',
};

/** Resolution and time zone: how the chosen range is shown. */
export function ViewOptions(props: {
  resolution: ResolutionChoice;
  effective: Resolution;
  tz: TimeZoneChoice;
  localZone: string;
  onResolution: (r: ResolutionChoice) => void;
  onTimeZone: (tz: TimeZoneChoice) => void;
}) {
  return (
    <div class="view-options">
      <label class="field">
        <span class="field-label">Resolution</span>
        <select
          value={props.resolution}
          onChange={(e) => {
            props.onResolution(e.currentTarget.value as ResolutionChoice);
          }}
        >
          {RESOLUTION_CHOICES.map((r) => (
            <option key={r} value={r}>
              {r === 'auto' ? `Auto (${EFFECTIVE_LABELS[props.effective]})` : RESOLUTION_LABELS[r]}
            </option>
          ))}
        </select>
      </label>
      <label class="field">
        <span class="field-label">Time</span>
        <select
          value={props.tz}
          onChange={(e) => {
            props.onTimeZone(e.currentTarget.value as TimeZoneChoice);
          }}
        >
          <option value="utc">UTC</option>
          <option value="local">Local ({props.localZone})</option>
        </select>
      </label>
    </div>
  );
}
