import { useState } from 'preact/hooks';
import { Notice } from '../../app/Notice';
import { safeNext } from '../../app/next-path';
import { useLocation } from '../../app/router';
import { useAction } from '../../app/useAction';
import { useTitle } from '../../app/useTitle';
import { signUp } from '../../session/auth';
import { AuthCard } from './AuthCard';
import { EmailField } from './EmailField';
import { GoogleButton } from './GoogleButton';
import { PasswordField } from './PasswordField';
import { PASSWORD_RULE, passwordProblem } from './password-rule';
import { useLeaveWhenSignedIn } from './useLeaveWhenSignedIn';

export function SignUpPage() {
  useTitle('Create your account');
  const { query } = useLocation();
  useLeaveWhenSignedIn(safeNext(query.get('next'), '/account'));
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const submit = useAction(async () => {
    const address = email.trim();
    await signUp(address, password);
    setSentTo(address);
    setPassword('');
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
      <form
        class="form"
        onSubmit={(e) => {
          e.preventDefault();
          const found = passwordProblem(password);
          setProblem(found);
          if (!found) void submit.run();
        }}
      >
        <EmailField value={email} onValue={setEmail} autoFocus />
        <PasswordField
          label="Password"
          autoComplete="new-password"
          value={password}
          onValue={(value) => {
            setPassword(value);
            if (problem) setProblem(passwordProblem(value));
          }}
          hint={PASSWORD_RULE}
        />
        {(problem ?? submit.error) && <Notice tone="error">{problem ?? submit.error}</Notice>}
        <button type="submit" class="button button-primary button-block" disabled={submit.pending}>
          {submit.pending ? 'Creating your account…' : 'Create account'}
        </button>
      </form>
    </AuthCard>
  );
}
