import { useEffect } from 'preact/hooks';
import { navigate } from '../../app/router';
import { useSession } from '../../session/useSession';

/** Sign-in and sign-up have nothing to offer a signed-in user: on to where they were going. */
export function useLeaveWhenSignedIn(next: string): void {
  const session = useSession();
  useEffect(() => {
    if (session.status === 'signed-in') navigate(next, { replace: true });
  }, [session.status, next]);
}
