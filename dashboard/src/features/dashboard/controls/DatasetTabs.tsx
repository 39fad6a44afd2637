import type { DatasetName } from '../../../api/types';

const LABELS: Record<DatasetName, string> = { load: 'Load', generation: 'Generation', flows: 'Flows' };

/** The three datasets as tabs; arrow keys move between them, as a tab list should. */
export function DatasetTabs(props: { value: DatasetName; onChange: (d: DatasetName) => void }) {
  const order = Object.keys(LABELS) as DatasetName[];
  return (
    <div class="dataset-tabs" role="tablist" aria-label="Dataset">
      {order.map((d, i) => (
        <button
          key={d}
          type="button"
          role="tab"
          id={`tab-${d}`}
          aria-selected={props.value === d}
          tabIndex={props.value === d ? 0 : -1}
          class={props.value === d ? 'tab active' : 'tab'}
          onClick={() => {
            props.onChange(d);
          }}
          onKeyDown={(e) => {
            const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
            if (step === 0) return;
            e.preventDefault();
            const next = order[(i + step + order.length) % order.length] ?? d;
            props.onChange(next);
            document.getElementById(`tab-${next}`)?.focus();
          }}
        >
          {LABELS[d]}
        </button>
      ))}
    </div>
  );
}
