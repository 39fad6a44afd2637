import { useTitle } from '../../app/useTitle';
import { OfferCard } from '../account/OfferCard';
import { PLAN_PRICE_TEXT } from '../account/plan-offer';
import { UnavailableNotice } from '../account/UnavailableNotice';
import { useBillingStatus } from '../account/useBillingStatus';
import { useSession } from '../../session/useSession';
import { FEATURES } from './features';
import { FeatureIcon } from './FeatureIcon';
import { HeroChart } from './HeroChart';

const MIX_LEGEND = ['solar', 'wind', 'hydro', 'fossil', 'nuclear'];

export function LandingPage() {
  useTitle('');
  const session = useSession();
  const billing = useBillingStatus();
  const signedIn = session.status === 'signed-in';
  const trialDays = billing.data?.available ? billing.data.trialDays : 0;
  return (
    <div class="landing">
      <section class="hero">
        <div class="hero-text">
          <p class="eyebrow">
            <span class="live-dot" aria-hidden="true" /> Live data from ENTSO-E
          </p>
          <h1>
            Europe's electricity grid, <span class="accent-text">as it happens</span>.
          </h1>
          <p class="lead">
            EnergyLive follows the ENTSO-E Transparency Platform for you: how much power each European country
            uses, what it is generated from and what crosses its borders, updated as ENTSO-E publishes.
          </p>
          <div class="cta-row">
            {signedIn ? (
              <>
                <a class="button button-primary button-large" href="/app">
                  Open the dashboard
                </a>
                <a class="button button-large" href="/account">
                  Your account
                </a>
              </>
            ) : (
              <>
                <a class="button button-primary button-large" href="/signup">
                  {trialDays > 0 ? `Try it free for ${trialDays} days` : 'Get started'}
                </a>
                <a class="button button-large" href="/signin">
                  Sign in
                </a>
              </>
            )}
          </div>
          <p class="muted small">One plan, {PLAN_PRICE_TEXT}. Cancel any time.</p>
        </div>
        <figure class="hero-figure">
          <HeroChart />
          <figcaption>
            <ul class="mix-legend" aria-label="Production types">
              {MIX_LEGEND.map((name) => (
                <li key={name}>
                  <span class={`swatch mix-${name}`} aria-hidden="true" />
                  {name}
                </li>
              ))}
            </ul>
            <span class="muted small">A day of generation, stacked by production type</span>
          </figcaption>
        </figure>
      </section>

      <section class="section" aria-labelledby="features-title">
        <h2 id="features-title">What subscribers get</h2>
        <p class="section-lead">
          Load, generation and cross-border flows of every country and bidding zone ENTSO-E reports, from the
          first month EnergyLive imported to the last quarter-hour published.
        </p>
        <ul class="feature-grid">
          {FEATURES.map((feature) => (
            <li key={feature.title} class="card feature">
              <FeatureIcon name={feature.icon} />
              <h3>{feature.title}</h3>
              <p>{feature.text}</p>
            </li>
          ))}
        </ul>
      </section>

      <section class="section pricing" aria-labelledby="pricing-title">
        <div class="pricing-text">
          <h2 id="pricing-title">Pricing</h2>
          <p class="section-lead">
            One monthly plan with everything in it: the dashboard, live updates, exports and the API. Payments
            run through Stripe; change or cancel your subscription from your account at any time.
          </p>
          <p class="muted small">
            Source: ENTSO-E Transparency Platform, Actual Total Load (6.1.A), Aggregated Generation per
            Production Type (16.1.B/C) and Cross-Border Physical Flows (12.1.G).
          </p>
        </div>
        <OfferCard billing={billing.data}>
          {billing.data && !billing.data.available && <UnavailableNotice />}
          <a class="button button-primary button-large button-block" href={signedIn ? '/account' : '/signup'}>
            {signedIn ? 'Go to your account' : 'Create your account'}
          </a>
        </OfferCard>
      </section>
    </div>
  );
}
