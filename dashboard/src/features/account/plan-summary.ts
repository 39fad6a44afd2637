import type { Plan } from '../../api/types';

/** Stripe still bills these; the next step is the billing portal, not a new checkout. */
const BILLED = ['active', 'trialing', 'past_due'];

const LABELS: Record<string, string> = {
  active: 'Active',
  trialing: 'Free trial',
  past_due: 'Payment overdue',
  complimentary: 'Complimentary access',
  canceled: 'Canceled',
  unpaid: 'Unpaid',
  incomplete: 'Payment incomplete',
  incomplete_expired: 'Payment expired',
  paused: 'Paused',
  none: 'No subscription',
};

export type PlanTone = 'good' | 'warning' | 'neutral';

export function planLabel(plan: Plan): string {
  return LABELS[plan.status] ?? plan.status.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase());
}

export function planTone(plan: Plan): PlanTone {
  if (plan.status === 'past_due' || plan.status === 'unpaid' || plan.status === 'incomplete')
    return 'warning';
  return plan.entitled ? 'good' : 'neutral';
}

/** A checkout would be refused (409): the subscription is managed in Stripe's portal instead. */
export function isBilled(plan: Plan): boolean {
  return BILLED.includes(plan.status);
}

/** Stripe knows this account as a customer: the portal has invoices and payment details to show. */
export function hasBillingHistory(plan: Plan): boolean {
  return plan.status !== 'none' && plan.status !== 'complimentary';
}

export function daysText(days: number): string {
  return days === 1 ? '1 day' : `${days} days`;
}

/** A date as people read it, in their own language and time zone. */
export function formatDate(iso: string, locale?: string): string {
  return new Date(iso).toLocaleDateString(locale, { year: 'numeric', month: 'long', day: 'numeric' });
}

const SIGN_IN_METHODS: Record<string, string> = { password: 'Email and password', google: 'Google' };

export function signInMethodLabel(method: string): string {
  return SIGN_IN_METHODS[method] ?? method;
}
