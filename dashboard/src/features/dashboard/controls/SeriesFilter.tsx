/** A choice among the series of the dataset: a production type, or a flow partner; empty means all. */
export function SeriesFilter(props: {
  label: string;
  allLabel: string;
  options: string[];
  value: string | null;
  onChange: (value: string | null) => void;
}) {
  return (
    <label class="field">
      <span class="field-label">{props.label}</span>
      <select
        value={props.value ?? ''}
        onChange={(e) => {
          props.onChange(e.currentTarget.value || null);
        }}
      >
        <option value="">{props.allLabel}</option>
        {props.options.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    </label>
  );
}
