import { navigate } from '../../app/router';
import { useAction } from '../../app/useAction';
import { confirmPasswordReset } from '../../session/auth';
import { AuthCard } from './AuthCard';
import { AuthForm } from './AuthForm';
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
      lead="Every other session of your account ends and its API tokens stop working; you stay signed in here."
      footer={
        <>
          Link expired? <a href="/reset">Ask for a new one</a>
        </>
      }
    >
      <AuthForm
        action={submit}
        accept={password.accept}
        error={password.problem}
        label="Save and sign in"
        pendingLabel="Saving…"
      >
        <NewPasswordField label="New password" password={password} />
      </AuthForm>
    </AuthCard>
  );
}
