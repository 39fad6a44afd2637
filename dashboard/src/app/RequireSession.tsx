import type { VNode } from 'preact';
import { useEffect } from 'preact/hooks';
import type { Profile } from '../api/types';
import { refreshSession } from '../session/session';
import { useSession } from '../session/useSession';
import { Loading } from './Loading';
import { signInPath } from './next-path';
import { Notice } from './Notice';
import { navigate, useLocation } from './router';

/** A page for signed-in users: others are sent to sign in and brought back here afterwards. */
export function RequireSession(props: { children: (profile: Profile) => VNode }) {
  const session = useSession();
  const { path, search } = useLocation();
  const assumedOut = session.status === 'signed-out' && session.assumed === true;
  useEffect(() => {
    if (session.status !== 'signed-out') return;
    // Not asked yet (see session-hint): a session made elsewhere, by Google's redirect say, may exist.
    if (assumedOut) void refreshSession();
    else navigate(signInPath(search ? `${path}?${search}` : path), { replace: true });
  }, [session.status, assumedOut, path, search]);

  switch (session.status) {
    case 'signed-in':
      return props.children(session.profile);
    case 'unavailable':
      return (
        <div class="page narrow">
          <Notice tone="error" title="Your account could not be loaded">
            {session.message}
          </Notice>
          <button type="button" class="button" onClick={() => void refreshSession()}>
            Try again
          </button>
        </div>
      );
    default:
      return <Loading />;
  }
}
