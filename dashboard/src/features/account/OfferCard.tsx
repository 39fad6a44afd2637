import type { ComponentChildren } from 'preact';
import type { BillingStatus } from '../../api/types';
import { PLAN_BENEFITS, PLAN_NAME, PLAN_PRICE_TEXT } from './plan-offer';

/** The one plan: price, trial, what it includes; the page puts its own call to action below. */
export function OfferCard(props: { billing: BillingStatus | undefined; children?: ComponentChildren }) {
  const trialDays = props.billing?.available ? props.billing.trialDays : 0;
  return (
    <section class="card offer" aria-labelledby="offer-title">
      <p class="eyebrow">One plan, everything included</p>
      <h2 id="offer-title" class="offer-name">
        {PLAN_NAME}
      </h2>
      <p class="offer-price">
        <span class="price">{PLAN_PRICE_TEXT}</span>
      </p>
      <p class="offer-terms">
        {trialDays > 0 ? `Free for ${trialDays} days, then billed monthly. ` : 'Billed monthly. '}
        Cancel any time from your account.
      </p>
      <ul class="checklist">
        {PLAN_BENEFITS.map((benefit) => (
          <li key={benefit}>{benefit}</li>
        ))}
      </ul>
      {props.children}
    </section>
  );
}
