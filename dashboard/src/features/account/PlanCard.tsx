import type { BillingStatus, Plan } from '../../api/types';
import { Notice } from '../../app/Notice';
import { PLAN_PRICE_TEXT } from './plan-offer';
import { daysText, formatDate, hasBillingHistory, isBilled, planLabel, planTone } from './plan-summary';
import { ManageBillingButton } from './ManageBillingButton';
import { SubscribeButton } from './SubscribeButton';
import { UnavailableNotice } from './UnavailableNotice';

function periodLabel(plan: Plan): string {
  if (plan.status === 'trialing') return 'Trial until';
  if (plan.cancelAtPeriodEnd || !isBilled(plan)) return 'Access until';
  return 'Paid until';
}

/** The plan as it stands, and the next step: subscribe, or manage the subscription at Stripe. */
export function PlanCard(props: { plan: Plan; billing: BillingStatus | undefined }) {
  const { plan, billing } = props;
  const billed = isBilled(plan);
  return (
    <section class="card plan-card" aria-labelledby="plan-title">
      <div class="card-head">
        <h2 id="plan-title">Plan</h2>
        <span class={`badge badge-${planTone(plan)}`}>{planLabel(plan)}</span>
      </div>
      <dl class="facts">
        <div>
          <dt>Price</dt>
          <dd>{PLAN_PRICE_TEXT}</dd>
        </div>
        {plan.paidUntil && (
          <>
            <div>
              <dt>{periodLabel(plan)}</dt>
              <dd>{formatDate(plan.paidUntil)}</dd>
            </div>
            <div>
              <dt>Days left</dt>
              <dd>{daysText(plan.daysLeft)}</dd>
            </div>
          </>
        )}
        {plan.complimentaryUntil && (
          <div>
            <dt>Complimentary access until</dt>
            <dd>{formatDate(plan.complimentaryUntil)}</dd>
          </div>
        )}
      </dl>
      {plan.cancelAtPeriodEnd && plan.paidUntil && (
        <Notice tone="warning" title="Your subscription ends soon">
          It was cancelled and will not renew: access ends on {formatDate(plan.paidUntil)}. Resume it in the
          billing portal to keep it.
        </Notice>
      )}
      {plan.status === 'past_due' && (
        <Notice tone="warning" title="Payment overdue">
          Stripe could not charge your card. Update your payment details to keep access.
        </Notice>
      )}
      {billing && !billing.available && <UnavailableNotice />}
      <div class="card-actions">
        {plan.entitled && (
          <a class="button button-primary" href="/app">
            Open the dashboard
          </a>
        )}
        {billing?.available && !billed && (
          <SubscribeButton
            label={plan.status === 'none' ? 'Subscribe' : 'Subscribe again'}
            class={plan.entitled ? 'button' : 'button button-primary'}
          />
        )}
        {billing?.available && hasBillingHistory(plan) && (
          <ManageBillingButton label={billed ? 'Manage subscription' : 'Billing history'} />
        )}
      </div>
    </section>
  );
}
