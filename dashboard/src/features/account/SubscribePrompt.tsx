import type { Profile } from '../../api/types';
import { Loading } from '../../app/Loading';
import { Notice } from '../../app/Notice';
import { useTitle } from '../../app/useTitle';
import { DashboardPreview } from './DashboardPreview';
import { ManageBillingButton } from './ManageBillingButton';
import { OfferCard } from './OfferCard';
import { hasBillingHistory } from './plan-summary';
import { SubscribeButton } from './SubscribeButton';
import { UnavailableNotice } from './UnavailableNotice';
import { useBillingStatus } from './useBillingStatus';

/** What `/app` shows a signed-in user without a running plan: what they would get, and the way in. */
export function SubscribePrompt(props: { profile: Profile }) {
  useTitle('Subscribe');
  const billing = useBillingStatus();
  const { plan } = props.profile;
  const ended = plan.status !== 'none';
  return (
    <div class="page prompt">
      <div class="prompt-intro">
        <p class="eyebrow">Dashboard</p>
        <h1>{ended ? 'Your plan has ended' : 'Subscribe to open the dashboard'}</h1>
        <p class="lead">
          The map, charts and statistics of Europe's grid are for subscribers.{' '}
          {ended
            ? 'Subscribe again to pick up where you left off; your API tokens are kept.'
            : 'One plan opens all of it, in the browser and through the API.'}
        </p>
        {plan.status === 'past_due' && (
          <Notice tone="warning" title="Payment overdue">
            Update your payment details in the billing portal to keep access.
          </Notice>
        )}
      </div>
      <DashboardPreview />
      <OfferCard billing={billing.data}>
        {billing.loading && <Loading label="Checking subscriptions…" />}
        {billing.error && <Notice tone="error">{billing.error}</Notice>}
        {billing.data &&
          (billing.data.available ? (
            <div class="offer-actions">
              <SubscribeButton label={ended ? 'Subscribe again' : 'Subscribe'} />
              {hasBillingHistory(plan) && <ManageBillingButton />}
            </div>
          ) : (
            <UnavailableNotice />
          ))}
      </OfferCard>
    </div>
  );
}
