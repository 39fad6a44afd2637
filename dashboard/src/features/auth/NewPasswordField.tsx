import { useState } from 'preact/hooks';
import { PasswordField } from './PasswordField';
import { PASSWORD_RULE, passwordProblem } from '../../../../lib/accounts/password-rule';

/** A password being chosen, and what is wrong with it once the user tried to send it. */
export interface NewPassword {
  value: string;
  problem: string | null;
  set: (value: string) => void;
  /** At submit: whether the password may be sent; otherwise the problem is shown until it is fixed. */
  accept: () => boolean;
}

/**
 * `email`, when the page knows it, lets the rule refuse passwords containing it here already; the server
 * applies the same rule (and its list of common passwords) in any case.
 */
export function useNewPassword(email?: string): NewPassword {
  const [value, setValue] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  return {
    value,
    problem,
    set: (next) => {
      setValue(next);
      // Once a problem is shown, it follows the typing, so it goes away as soon as it is fixed.
      if (problem) setProblem(passwordProblem(next, email));
    },
    accept: () => {
      const found = passwordProblem(value, email);
      setProblem(found);
      return found === null;
    },
  };
}

/** The field of a new password (sign-up, reset, change), with the rule under it. */
export function NewPasswordField(props: { label: string; password: NewPassword }) {
  return (
    <PasswordField
      label={props.label}
      autoComplete="new-password"
      value={props.password.value}
      onValue={props.password.set}
      hint={PASSWORD_RULE}
    />
  );
}
