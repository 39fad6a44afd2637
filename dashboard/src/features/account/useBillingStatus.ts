import type { BillingStatus } from '../../api/types';
import { useLoad, type Loaded } from '../../app/useLoad';
import { billingStatus } from './billing';

/** Whether subscriptions are offered here, and the trial length. */
export function useBillingStatus(): Loaded<BillingStatus> {
  return useLoad(() => billingStatus(), []);
}
