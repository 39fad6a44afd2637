import { useState } from 'preact/hooks';
import type { Profile } from '../../api/types';
import { Notice } from '../../app/Notice';
import { useAction } from '../../app/useAction';
import { changePassword } from '../../session/auth';
import { PasswordField } from '../auth/PasswordField';
import { NewPasswordField, useNewPassword } from '../auth/NewPasswordField';
import type { Tokens } from './useTokens';

const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

/**
 * After a password change: the API tokens made before it still work (the owner may have scripts
 * running), so the card says so and offers to revoke them all at once.
 */
function KeptTokens(props: { count: number; tokens: Tokens }) {
  const [revoked, setRevoked] = useState<number | null>(null);
  const revokeAll = useAction(async () => {
    setRevoked(await props.tokens.revokeAll());
  });
  if (revoked !== null)
    return (
      <Notice tone="success">{plural(revoked, 'API token')} revoked. Scripts using them stop at once.</Notice>
    );
  return (
    <Notice
      tone="warning"
      title={`${plural(props.count, 'API token')} still ${props.count === 1 ? 'works' : 'work'}`}
    >
      <p>
        Tokens made before the change keep working. Revoke them if someone else may have known your old
        password.
      </p>
      <button
        type="button"
        class="button button-small button-danger"
        disabled={revokeAll.pending}
        onClick={() => void revokeAll.run()}
      >
        {revokeAll.pending ? 'Revoking…' : 'Revoke all tokens'}
      </button>
      {revokeAll.error && <Notice tone="error">{revokeAll.error}</Notice>}
    </Notice>
  );
}

export function PasswordCard(props: { profile: Profile; tokens: Tokens }) {
  const [current, setCurrent] = useState('');
  const password = useNewPassword(props.profile.email);
  const [saved, setSaved] = useState<{ tokensKept: number } | null>(null);
  const change = useAction(async () => {
    const result = await changePassword(current, password.value);
    setCurrent('');
    password.set('');
    setSaved(result);
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
          setSaved(null);
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
        {saved && saved.tokensKept > 0 && <KeptTokens count={saved.tokensKept} tokens={props.tokens} />}
        <button type="submit" class="button button-primary" disabled={change.pending}>
          {change.pending ? 'Saving…' : 'Change password'}
        </button>
      </form>
    </section>
  );
}
