import { useState } from 'preact/hooks';
import type { Profile } from '../../api/types';
import { Notice } from '../../app/Notice';
import { useAction } from '../../app/useAction';
import { changePassword } from '../../session/auth';
import { PasswordField } from '../auth/PasswordField';
import { NewPasswordField, useNewPassword } from '../auth/NewPasswordField';

export function PasswordCard(props: { profile: Profile }) {
  const [current, setCurrent] = useState('');
  const password = useNewPassword();
  const [saved, setSaved] = useState(false);
  const change = useAction(async () => {
    await changePassword(current, password.value);
    setCurrent('');
    password.set('');
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
          if (password.accept()) void change.run();
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
        <NewPasswordField label="New password" password={password} />
        {(password.problem ?? change.error) && (
          <Notice tone="error">{password.problem ?? change.error}</Notice>
        )}
        {saved && <Notice tone="success">Password changed. Other sessions are signed out.</Notice>}
        <button type="submit" class="button button-primary" disabled={change.pending}>
          {change.pending ? 'Saving…' : 'Change password'}
        </button>
      </form>
    </section>
  );
}
