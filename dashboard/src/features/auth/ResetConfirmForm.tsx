import { useState } from 'preact/hooks';
import { Notice } from '../../app/Notice';
import { navigate } from '../../app/router';
import { useAction } from '../../app/useAction';
import { confirmPasswordReset } from '../../session/auth';
import { AuthCard } from './AuthCard';
import { PasswordField } from './PasswordField';
import { PASSWORD_RULE, passwordProblem } from './password-rule';

export function ResetConfirmForm(props: { token: string }) {
  const [password, setPassword] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const submit = useAction(async () => {
    await confirmPasswordReset(props.token, password);
    // The link is used up: Back must not return to it.
    navigate('/app', { replace: true });
  });
  return (
    <AuthCard
      title="Choose a new password"
      lead="Every other session of your account ends; you stay signed in here."
      footer={
        <>
          Link expired? <a href="/reset">Ask for a new one</a>
        </>
      }
    >
      <form
        class="form"
        onSubmit={(e) => {
          e.preventDefault();
          const found = passwordProblem(password);
          setProblem(found);
          if (!found) void submit.run();
        }}
      >
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
        {(problem ?? submit.error) && <Notice tone="error">{problem ?? submit.error}</Notice>}
        <button type="submit" class="button button-primary button-block" disabled={submit.pending}>
          {submit.pending ? 'Saving…' : 'Save and sign in'}
        </button>
      </form>
    </AuthCard>
  );
}
