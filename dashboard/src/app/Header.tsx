import type { ComponentChildren } from 'preact';
import { signOut } from '../session/auth';
import { useSession } from '../session/useSession';
import { Logo } from './Logo';
import { navigate, useLocation } from './router';
import { ThemeSwitch } from './ThemeSwitch';
import { useAction } from './useAction';

function NavLink(props: { href: string; children: ComponentChildren }) {
  const { path } = useLocation();
  return (
    <a class="nav-link" href={props.href} aria-current={path === props.href ? 'page' : undefined}>
      {props.children}
    </a>
  );
}

function SignOutButton() {
  const leave = useAction(async () => {
    await signOut();
    navigate('/');
  });
  return (
    <button
      type="button"
      class="nav-link"
      disabled={leave.pending}
      title={leave.error ?? undefined}
      onClick={() => void leave.run()}
    >
      {leave.error ? 'Sign out failed, retry' : 'Sign out'}
    </button>
  );
}

export function Header() {
  const session = useSession();
  return (
    <header class="site-header">
      <div class="header-inner">
        <a class="brand" href="/">
          <Logo />
          <span>EnergyLive</span>
        </a>
        <nav class="site-nav" aria-label="Main">
          {session.status === 'signed-in' && (
            <>
              <NavLink href="/app">Dashboard</NavLink>
              <NavLink href="/account">Account</NavLink>
              <SignOutButton />
            </>
          )}
          {(session.status === 'signed-out' || session.status === 'unavailable') && (
            <>
              <NavLink href="/signin">Sign in</NavLink>
              <a class="button button-primary button-small" href="/signup">
                Sign up
              </a>
            </>
          )}
        </nav>
        <ThemeSwitch />
      </div>
    </header>
  );
}
