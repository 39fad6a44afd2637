import type { ComponentChildren, InputHTMLAttributes } from 'preact';
import { useId } from 'preact/hooks';

export type FieldProps = Omit<InputHTMLAttributes, 'id' | 'label'> & {
  label: string;
  /** Shown under the input and read out with it. */
  hint?: ComponentChildren;
  /** Beside the input, inside its frame: a show-password toggle, a copy button. */
  addon?: ComponentChildren;
};

/** A labelled input with its hint; the label is always visible, never only a placeholder. */
export function Field(props: FieldProps) {
  const { label, hint, addon, ...input } = props;
  const id = useId();
  const hintId = `${id}-hint`;
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <div class={addon ? 'field-control has-addon' : 'field-control'}>
        <input id={id} aria-describedby={hint ? hintId : undefined} {...input} />
        {addon}
      </div>
      {hint && (
        <p id={hintId} class="field-hint">
          {hint}
        </p>
      )}
    </div>
  );
}
