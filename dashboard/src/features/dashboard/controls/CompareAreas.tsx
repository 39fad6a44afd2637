import type { AreaSummary } from '../../../api/types';
import { MAX_COMPARED } from '../view-state';
import { AreaPicker, areaLabel } from './AreaPicker';

/** Further areas on the same chart, up to four in all; each can be taken off again. */
export function CompareAreas(props: {
  areas: AreaSummary[];
  main: string;
  value: string[];
  onChange: (codes: string[]) => void;
}) {
  const available = props.areas.filter((a) => a.area !== props.main && !props.value.includes(a.area));
  return (
    <div class="compare-areas">
      {props.value.length > 0 && (
        <ul class="chips" aria-label="Compared areas">
          {props.value.map((code) => (
            <li key={code} class="chip">
              {areaLabel(
                props.areas.find((a) => a.area === code),
                code,
              )}
              <button
                type="button"
                class="chip-remove"
                aria-label={`Stop comparing ${code}`}
                onClick={() => {
                  props.onChange(props.value.filter((c) => c !== code));
                }}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      {props.value.length < MAX_COMPARED && (
        <AreaPicker
          id="compare-area"
          label="Compare with"
          placeholder="Add an area"
          areas={available}
          value=""
          onChange={(code) => {
            props.onChange([...props.value, code]);
          }}
        />
      )}
    </div>
  );
}
