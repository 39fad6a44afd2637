import { ApiError } from '../../api/client';
import { Notice } from '../../app/Notice';
import { useAction } from '../../app/useAction';
import { refreshSession } from '../../session/session';
import { startCheckout } from './billing';

/** Opens Stripe Checkout for the monthly plan. */
export function SubscribeButton(props: { label?: string; class?: string }) {
  const checkout = useAction(async () => {
    try {
      await startCheckout();
    } catch (err) {
      // Subscribed meanwhile (another tab, a lagging page): show the plan as it is now.
      if (err instanceof ApiError && err.code === 'ALREADY_SUBSCRIBED') await refreshSession();
      throw err;
    }
  });
  return (
    <div class="action">
      <button
        type="button"
        class={props.class ?? 'button button-primary button-large'}
        disabled={checkout.pending}
        onClick={() => void checkout.run()}
      >
        {checkout.pending ? 'Opening checkout…' : (props.label ?? 'Subscribe')}
      </button>
      {checkout.error && <Notice tone="error">{checkout.error}</Notice>}
    </div>
  );
}
