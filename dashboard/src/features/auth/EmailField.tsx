import { Field } from '../../app/Field';

export function EmailField(props: { value: string; onValue: (value: string) => void; autoFocus?: boolean }) {
  return (
    <Field
      label="Email"
      type="email"
      name="email"
      autoComplete="email"
      autoCapitalize="off"
      spellcheck={false}
      inputMode="email"
      required
      autoFocus={props.autoFocus}
      value={props.value}
      onInput={(e) => {
        props.onValue(e.currentTarget.value);
      }}
    />
  );
}
