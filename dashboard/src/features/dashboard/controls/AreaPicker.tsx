import { useState } from 'preact/hooks';
import type { AreaSummary } from '../../../api/types';
import { countryName } from '../../map/map-codes';

/**
 * The label an area goes by: "Germany (DE)" for a country, else ENTSO-E's own area name ("IT-North
 * BZN (IT-NORTH)"), or the MapCode alone when there is no name.
 */
export function areaLabel(area: AreaSummary | undefined, code: string): string {
  const country = countryName(code);
  const name = country !== code ? country : area?.name;
  return name && name !== code ? `${name} (${code})` : code;
}

/**
 * A searchable list of the areas with data in the dataset: typing filters by name or MapCode, and
 * only an area from the list can be chosen.
 */
export function AreaPicker(props: {
  id: string;
  label: string;
  areas: AreaSummary[];
  value: string;
  onChange: (code: string) => void;
  placeholder?: string;
}) {
  const [text, setText] = useState<string | null>(null);
  const current = props.areas.find((a) => a.area === props.value);
  const listId = `${props.id}-list`;
  const choose = (input: string) => {
    const needle = input.trim().toLowerCase();
    const match =
      props.areas.find((a) => areaLabel(a, a.area).toLowerCase() === needle) ??
      props.areas.find((a) => a.area.toLowerCase() === needle) ??
      props.areas.find((a) => a.name.toLowerCase() === needle);
    if (match) props.onChange(match.area);
    setText(null);
  };
  return (
    <label class="field area-picker" for={props.id}>
      <span class="field-label">{props.label}</span>
      <input
        id={props.id}
        type="search"
        list={listId}
        autoComplete="off"
        placeholder={props.placeholder ?? 'Search areas'}
        value={text ?? (props.value ? areaLabel(current, props.value) : '')}
        onFocus={(e) => {
          e.currentTarget.select();
        }}
        onInput={(e) => {
          const value = e.currentTarget.value;
          setText(value);
          // A pick from the list arrives as the whole label at once.
          if (props.areas.some((a) => areaLabel(a, a.area) === value)) choose(value);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter') choose(e.currentTarget.value);
          if (e.key === 'Escape') setText(null);
        }}
        onBlur={() => {
          setText(null);
        }}
      />
      <datalist id={listId}>
        {props.areas.map((a) => (
          <option key={a.area} value={areaLabel(a, a.area)} />
        ))}
      </datalist>
    </label>
  );
}
