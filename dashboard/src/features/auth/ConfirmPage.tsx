import { useEffect } from 'preact/hooks';
import { Loading } from '../../app/Loading';
import { Notice } from '../../app/Notice';
import { navigate, useLocation } from '../../app/router';
import { useAction } from '../../app/useAction';
import { useTitle } from '../../app/useTitle';
import { confirmSignUp } from '../../session/auth';
import { AuthCard } from './AuthCard';

/** The link in the sign-up email: creates the account, signs in, and goes on to the account page. */
export function ConfirmPage() {
  useTitle('Confirm your email');
  const token = useLocation().query.get('token');
  const confirm = useAction(async (value: string) => {
    await confirmSignUp(value);
    // The link is used up: Back must not return to it.
    navigate('/account?welcome', { replace: true });
  });
  useEffect(() => {
    if (token) void confirm.run(token);
  }, [token, confirm.run]);

  if (!token)
    return (
      <AuthCard title="Confirm your email">
        <Notice tone="error">
          This link is incomplete. Open the link from the email again, or copy all of it.
        </Notice>
      </AuthCard>
    );

  if (confirm.error)
    return (
      <AuthCard
        title="This link did not work"
        footer={
          <>
            Already confirmed? <a href="/signin">Sign in</a>
          </>
        }
      >
        <Notice tone="error">{confirm.error}</Notice>
        <p>
          Sign-up links work for 24 hours, once. <a href="/signup">Sign up again</a> to get a new one.
        </p>
      </AuthCard>
    );

  return (
    <AuthCard title="Confirming your email">
      <Loading label="Creating your account…" />
    </AuthCard>
  );
}
