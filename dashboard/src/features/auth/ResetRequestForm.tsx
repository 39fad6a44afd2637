import { useState } from 'preact/hooks';
import { useAction } from '../../app/useAction';
import { requestPasswordReset } from '../../session/auth';
import { AuthCard } from './AuthCard';
import { AuthForm } from './AuthForm';
import { EmailField } from './EmailField';

export function ResetRequestForm() {
  const [email, setEmail] = useState('');
  const [sentTo, setSentTo] = useState<string | null>(null);
  const submit = useAction(async () => {
    const address = email.trim();
    await requestPasswordReset(address);
    setSentTo(address);
  });

  if (sentTo)
    return (
      <AuthCard
        title="Check your email"
        lead={
          <>
            If <strong>{sentTo}</strong> has an account, a reset link is on its way.
          </>
        }
      >
        <p>The link works for one hour, once. Nothing arrived? Look in your spam folder.</p>
        <p>
          <a href="/signin">Back to sign in</a>
        </p>
      </AuthCard>
    );

  return (
    <AuthCard
      title="Reset your password"
      lead="Enter the email of your account and we will send you a link to choose a new password."
      footer={
        <>
          Remembered it? <a href="/signin">Sign in</a>
        </>
      }
    >
      <AuthForm action={submit} label="Send reset link" pendingLabel="Sending…">
        <EmailField value={email} onValue={setEmail} autoFocus />
      </AuthForm>
    </AuthCard>
  );
}
