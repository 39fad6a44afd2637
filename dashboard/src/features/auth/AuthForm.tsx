import type { ComponentChildren } from 'preact';
import { Notice } from '../../app/Notice';
import type { Action } from '../../app/useAction';

/**
 * The form of an auth page: its fields, the error if any, and one wide submit button that says when the
 * request is under way. `accept` checks the fields first (a new password's rules) and can hold it back.
 */
export function AuthForm(props: {
  action: Action<[]>;
  label: string;
  pendingLabel: string;
  accept?: () => boolean;
  /** What to show instead of the request's error, such as a field's problem. */
  error?: string | null;
  children: ComponentChildren;
}) {
  const { action } = props;
  const error = props.error ?? action.error;
  return (
    <form
      class="form"
      onSubmit={(e) => {
        e.preventDefault();
        if (props.accept?.() ?? true) void action.run();
      }}
    >
      {props.children}
      {error && <Notice tone="error">{error}</Notice>}
      <button type="submit" class="button button-primary button-block" disabled={action.pending}>
        {action.pending ? props.pendingLabel : props.label}
      </button>
    </form>
  );
}
