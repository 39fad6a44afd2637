import { Notice } from '../../app/Notice';

/** This installation runs without Stripe: access is granted by its operator instead. */
export function UnavailableNotice() {
  return (
    <Notice tone="info" title="Subscriptions are not available here">
      This EnergyLive installation does not take payments. Its operator can grant your account access.
    </Notice>
  );
}
