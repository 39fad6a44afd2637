import { useState } from 'preact/hooks';
import type { Profile } from '../../api/types';
import { Notice } from '../../app/Notice';
import { useAction } from '../../app/useAction';
import { changePassword } from '../../session/auth';
import { PasswordField } from '../auth/PasswordField';
import { PASSWORD_RULE, passwordProblem } from '../auth/password-rule';

export function PasswordCard(props: { profile: Profile }) {
  const [current, setCurrent] = useState('');
  const [password, setPassword] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const change = useAction(async () => {
    await changePassword(current, password);
    setCurrent('');
    setPassword('');
    setSaved(true);
  });

  if (!props.profile.signIn.includes('password'))
    return (
      <section class="card" aria-labelledby="password-title">
        <h2 id="password-title">Password</h2>
        <p class="muted">
          You sign in with Google. To sign in with your email too, <a href="/reset">set a password</a> through
          a reset link.
        </p>
      </section>
    );

  return (
    <section class="card" aria-labelledby="password-title">
      <h2 id="password-title">Change password</h2>
      <p class="muted">Every other session of your account ends; this one stays signed in.</p>
      <form
        class="form"
        onSubmit={(e) => {
          e.preventDefault();
          setSaved(false);
          const found = passwordProblem(password);
          setProblem(found);
          if (!found) void change.run();
        }}
      >
        <input
          type="text"
          name="username"
          autoComplete="username"
          value={props.profile.email}
          hidden
          readOnly
        />
        <PasswordField
          label="Current password"
          name="current"
          autoComplete="current-password"
          value={current}
          onValue={setCurrent}
        />
        <PasswordField
          label="New password"
          autoComplete="new-password"
          value={password}
          onValue={(value) => {
            setPassword(value);
            if (problem) setProblem(passwordProblem(value));
          }}
          hint={PASSWORD_RULE}
        />
        {(problem ?? change.error) && <Notice tone="error">{problem ?? change.error}</Notice>}
        {saved && <Notice tone="success">Password changed. Other sessions are signed out.</Notice>}
        <button type="submit" class="button button-primary" disabled={change.pending}>
          {change.pending ? 'Saving…' : 'Change password'}
        </button>
      </form>
    </section>
  );
}
