import type { Profile } from '../../api/types';
import { useAction } from '../../app/useAction';
import { Notice } from '../../app/Notice';
import { navigate } from '../../app/router';
import { signOut } from '../../session/auth';
import { signInMethodLabel } from './plan-summary';

export function ProfileCard(props: { profile: Profile }) {
  const leave = useAction(async () => {
    await signOut();
    navigate('/');
  });
  return (
    <section class="card" aria-labelledby="profile-title">
      <h2 id="profile-title">Profile</h2>
      <dl class="facts facts-rows">
        <div>
          <dt>Email</dt>
          <dd class="break">{props.profile.email}</dd>
        </div>
        <div>
          <dt>Sign-in methods</dt>
          <dd>{props.profile.signIn.map(signInMethodLabel).join(', ') || '—'}</dd>
        </div>
      </dl>
      {leave.error && <Notice tone="error">{leave.error}</Notice>}
      <button type="button" class="button" disabled={leave.pending} onClick={() => void leave.run()}>
        {leave.pending ? 'Signing out…' : 'Sign out'}
      </button>
    </section>
  );
}
