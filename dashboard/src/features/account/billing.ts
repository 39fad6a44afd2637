import { api } from '../../api/client';
import type { BillingStatus } from '../../api/types';

/** Stripe's pages are on Stripe's site: the whole tab goes there and comes back to `/account`. */
export async function startCheckout(): Promise<void> {
  const { url } = await api.post<{ url: string }>('/billing/checkout');
  window.location.assign(url);
}

export async function openBillingPortal(): Promise<void> {
  const { url } = await api.post<{ url: string }>('/billing/portal');
  window.location.assign(url);
}

let status: Promise<BillingStatus> | undefined;

/** Fixed for the installation's lifetime, so asked once per page load; a failure is asked again. */
export function billingStatus(): Promise<BillingStatus> {
  status ??= api.get<BillingStatus>('/billing/status').catch((err: unknown) => {
    status = undefined;
    throw err;
  });
  return status;
}
