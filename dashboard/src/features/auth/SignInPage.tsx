import { useState } from 'preact/hooks';
import { Notice } from '../../app/Notice';
import { safeNext } from '../../app/next-path';
import { useLocation } from '../../app/router';
import { useAction } from '../../app/useAction';
import { useTitle } from '../../app/useTitle';
import { signIn } from '../../session/auth';
import { AuthCard } from './AuthCard';
import { AuthForm } from './AuthForm';
import { EmailField } from './EmailField';
import { GoogleButton } from './GoogleButton';
import { PasswordField } from './PasswordField';
import { useLeaveWhenSignedIn } from './useLeaveWhenSignedIn';

export function SignInPage() {
  useTitle('Sign in');
  const { query } = useLocation();
  const next = safeNext(query.get('next'));
  useLeaveWhenSignedIn(next);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const submit = useAction(() => signIn(email.trim(), password));
  const signUp = query.has('next') ? `/signup?next=${encodeURIComponent(next)}` : '/signup';
  return (
    <AuthCard
      title="Sign in"
      lead="Welcome back. Sign in to open your dashboard."
      footer={
        <>
          New to EnergyLive? <a href={signUp}>Create an account</a>
        </>
      }
    >
      {query.get('error') === 'google' && (
        <Notice tone="error" title="Google sign-in did not complete">
          Try again, or sign in with your email and password.
        </Notice>
      )}
      <GoogleButton />
      <AuthForm action={submit} label="Sign in" pendingLabel="Signing in…">
        <EmailField value={email} onValue={setEmail} autoFocus />
        <PasswordField
          label="Password"
          autoComplete="current-password"
          value={password}
          onValue={setPassword}
          hint={<a href="/reset">Forgot your password?</a>}
        />
      </AuthForm>
    </AuthCard>
  );
}
