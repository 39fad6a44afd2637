import { useState } from 'preact/hooks';
import { safeNext } from '../../app/next-path';
import { useLocation } from '../../app/router';
import { useAction } from '../../app/useAction';
import { useTitle } from '../../app/useTitle';
import { signUp } from '../../session/auth';
import { AuthCard } from './AuthCard';
import { AuthForm } from './AuthForm';
import { EmailField } from './EmailField';
import { GoogleButton } from './GoogleButton';
import { NewPasswordField, useNewPassword } from './NewPasswordField';
import { useLeaveWhenSignedIn } from './useLeaveWhenSignedIn';

export function SignUpPage() {
  useTitle('Create your account');
  const { query } = useLocation();
  useLeaveWhenSignedIn(safeNext(query.get('next'), '/account'));
  const [email, setEmail] = useState('');
  const password = useNewPassword(email.trim());
  const [sentTo, setSentTo] = useState<string | null>(null);
  const submit = useAction(async () => {
    const address = email.trim();
    await signUp(address, password.value);
    setSentTo(address);
    password.set('');
  });

  if (sentTo)
    return (
      <AuthCard
        title="Check your email"
        lead={
          <>
            We sent a link to <strong>{sentTo}</strong>.
          </>
        }
      >
        <p>
          Follow it within 24 hours to finish creating your account; you will be signed in and can subscribe
          right away.
        </p>
        <p class="muted small">
          Nothing arrived after a few minutes? Look in your spam folder, or{' '}
          <button
            type="button"
            class="link-button"
            onClick={() => {
              setSentTo(null);
            }}
          >
            try again
          </button>
          .
        </p>
      </AuthCard>
    );

  return (
    <AuthCard
      title="Create your account"
      lead="Sign up with your email, confirm it, then subscribe to open the dashboard."
      footer={
        <>
          Already have an account? <a href="/signin">Sign in</a>
        </>
      }
    >
      <GoogleButton />
      <AuthForm
        action={submit}
        accept={password.accept}
        error={password.problem}
        label="Create account"
        pendingLabel="Creating your account…"
      >
        <EmailField value={email} onValue={setEmail} autoFocus />
        <NewPasswordField label="Password" password={password} />
      </AuthForm>
    </AuthCard>
  );
}
