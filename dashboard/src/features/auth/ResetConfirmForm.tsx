import { Notice } from '../../app/Notice';
import { navigate } from '../../app/router';
import { useAction } from '../../app/useAction';
import { confirmPasswordReset } from '../../session/auth';
import { AuthCard } from './AuthCard';
import { NewPasswordField, useNewPassword } from './NewPasswordField';

export function ResetConfirmForm(props: { token: string }) {
  const password = useNewPassword();
  const submit = useAction(async () => {
    await confirmPasswordReset(props.token, password.value);
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
          if (password.accept()) void submit.run();
        }}
      >
        <NewPasswordField label="New password" password={password} />
        {(password.problem ?? submit.error) && (
          <Notice tone="error">{password.problem ?? submit.error}</Notice>
        )}
        <button type="submit" class="button button-primary button-block" disabled={submit.pending}>
          {submit.pending ? 'Saving…' : 'Save and sign in'}
        </button>
      </form>
    </AuthCard>
  );
}
