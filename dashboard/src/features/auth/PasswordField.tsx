import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { Field } from '../../app/Field';

export interface PasswordFieldProps {
  label: string;
  value: string;
  onValue: (value: string) => void;
  /** `new-password` lets password managers offer a generated one; `current-password` fills the saved one. */
  autoComplete: 'new-password' | 'current-password';
  hint?: ComponentChildren;
  name?: string;
}

/** A password input the user can reveal to check what they typed. */
export function PasswordField(props: PasswordFieldProps) {
  const [shown, setShown] = useState(false);
  return (
    <Field
      label={props.label}
      type={shown ? 'text' : 'password'}
      name={props.name ?? 'password'}
      autoComplete={props.autoComplete}
      autoCapitalize="off"
      spellcheck={false}
      required
      value={props.value}
      onInput={(e) => {
        props.onValue(e.currentTarget.value);
      }}
      hint={props.hint}
      addon={
        <button
          type="button"
          class="field-addon"
          aria-pressed={shown}
          aria-label={shown ? 'Hide password' : 'Show password'}
          onClick={() => {
            setShown(!shown);
          }}
        >
          {shown ? 'Hide' : 'Show'}
        </button>
      }
    />
  );
}
