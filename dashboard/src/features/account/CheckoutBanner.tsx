import { useEffect, useState } from 'preact/hooks';
import { Loading } from '../../app/Loading';
import { Notice } from '../../app/Notice';
import { refreshAfterCheckout } from '../../session/session';

type Outcome = 'checking' | 'active' | 'pending';

/** Back from Stripe Checkout: confirms the plan once Stripe's webhook has opened it. */
export function CheckoutBanner(props: { result: string }) {
  const [outcome, setOutcome] = useState<Outcome>('checking');
  const succeeded = props.result === 'success';
  useEffect(() => {
    if (!succeeded) return;
    let live = true;
    void refreshAfterCheckout().then((state) => {
      if (live)
        setOutcome(state.status === 'signed-in' && state.profile.plan.entitled ? 'active' : 'pending');
    });
    return () => {
      live = false;
    };
  }, [succeeded]);

  if (!succeeded)
    return (
      <Notice tone="info" title="Checkout cancelled">
        You have not been charged. Subscribe whenever you are ready.
      </Notice>
    );
  if (outcome === 'checking') return <Loading label="Payment received. Opening your plan…" />;
  if (outcome === 'active')
    return (
      <Notice tone="success" title="Welcome to EnergyLive">
        Your subscription is active. <a href="/app">Open the dashboard</a>
      </Notice>
    );
  return (
    <Notice tone="info" title="Payment received">
      Stripe has not confirmed your subscription yet. It usually takes a few seconds: reload this page in a
      moment.
    </Notice>
  );
}
