import { useEffect, useRef } from 'preact/hooks';
import { AccountPage } from '../features/account/AccountPage';
import { SubscribePrompt } from '../features/account/SubscribePrompt';
import { ConfirmPage } from '../features/auth/ConfirmPage';
import { ResetPage } from '../features/auth/ResetPage';
import { SignInPage } from '../features/auth/SignInPage';
import { SignUpPage } from '../features/auth/SignUpPage';
import { LandingPage } from '../features/landing/LandingPage';
import { DashboardRoute } from './DashboardRoute';
import { Footer } from './Footer';
import { Header } from './Header';
import { NotFoundPage } from './NotFoundPage';
import { RequireSession } from './RequireSession';
import { useLocation } from './router';

function page(path: string) {
  switch (path) {
    case '/':
      return <LandingPage />;
    case '/signup':
      return <SignUpPage />;
    case '/signin':
      return <SignInPage />;
    case '/reset':
      return <ResetPage />;
    case '/confirm':
      return <ConfirmPage />;
    case '/app':
      return (
        <RequireSession>
          {(profile) =>
            profile.plan.entitled ? (
              <DashboardRoute profile={profile} />
            ) : (
              <SubscribePrompt profile={profile} />
            )
          }
        </RequireSession>
      );
    case '/account':
      return <RequireSession>{(profile) => <AccountPage profile={profile} />}</RequireSession>;
    default:
      return <NotFoundPage />;
  }
}

export function App() {
  const { path } = useLocation();
  const main = useRef<HTMLElement>(null);
  const first = useRef(true);
  useEffect(() => {
    // After a client-side page change, screen readers and the keyboard start at the new content.
    if (first.current) first.current = false;
    else main.current?.focus({ preventScroll: true });
  }, [path]);
  return (
    <>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <Header />
      <main id="main" ref={main} tabIndex={-1} data-page={path}>
        {page(path)}
      </main>
      <Footer />
    </>
  );
}
