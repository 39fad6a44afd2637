import { Notice } from '../../app/Notice';
import { useAction } from '../../app/useAction';
import { openBillingPortal } from './billing';

/** Stripe's customer portal: payment details, invoices, cancelling or resuming. */
export function ManageBillingButton(props: { label?: string }) {
  const portal = useAction(openBillingPortal);
  return (
    <div class="action">
      <button type="button" class="button" disabled={portal.pending} onClick={() => void portal.run()}>
        {portal.pending ? 'Opening billing portal…' : (props.label ?? 'Manage subscription')}
      </button>
      {portal.error && <Notice tone="error">{portal.error}</Notice>}
    </div>
  );
}
