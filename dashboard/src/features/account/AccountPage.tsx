import { useEffect, useState } from 'preact/hooks';
import type { Profile } from '../../api/types';
import { Notice } from '../../app/Notice';
import { navigate, useLocation } from '../../app/router';
import { useTitle } from '../../app/useTitle';
import { CheckoutBanner } from './CheckoutBanner';
import { PasswordCard } from './PasswordCard';
import { PlanCard } from './PlanCard';
import { ProfileCard } from './ProfileCard';
import { TokensCard } from './TokensCard';
import { useBillingStatus } from './useBillingStatus';
import { useTokens } from './useTokens';

export function AccountPage(props: { profile: Profile }) {
  useTitle('Account');
  const { query } = useLocation();
  // Read once: the query is cleared below so a reload or a shared link does not replay the message.
  const [arrival] = useState(() => ({ checkout: query.get('checkout'), welcome: query.has('welcome') }));
  useEffect(() => {
    if (arrival.checkout !== null || arrival.welcome) navigate('/account', { replace: true });
  }, [arrival]);
  const billing = useBillingStatus();
  // One list for both cards: revoking from the password card empties the token list too.
  const tokens = useTokens();
  const { profile } = props;
  return (
    <div class="page">
      <div class="page-head">
        <h1>Account</h1>
        <p class="muted break">{profile.email}</p>
      </div>
      {arrival.checkout !== null && <CheckoutBanner result={arrival.checkout} />}
      {arrival.welcome && (
        <Notice tone="success" title="Your account is ready">
          {profile.plan.entitled
            ? 'You are signed in and your plan is running.'
            : 'You are signed in. Subscribe below to open the dashboard.'}
        </Notice>
      )}
      {billing.error && <Notice tone="error">{billing.error}</Notice>}
      <div class="account-grid">
        <PlanCard plan={profile.plan} billing={billing.data} />
        <ProfileCard profile={profile} />
        <TokensCard tokens={tokens} />
        <PasswordCard profile={profile} tokens={tokens} />
      </div>
    </div>
  );
}
