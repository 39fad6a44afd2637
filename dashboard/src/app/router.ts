import { createStore, useStore } from './store';
import { isServerPath } from './next-path';

export interface Location {
  /** Without a trailing slash, except the root. */
  path: string;
  /** The query string without its `?`, as `query` parses it. */
  search: string;
  query: URLSearchParams;
}

function readLocation(): Location {
  const { pathname, search } = window.location;
  return {
    path: pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname,
    search: search.replace(/^\?/, ''),
    query: new URLSearchParams(search),
  };
}

const currentLocation = createStore<Location>({ path: '/', search: '', query: new URLSearchParams() });

/** The current page; components re-render when it changes. */
export function useLocation(): Location {
  return useStore(currentLocation);
}

/**
 * Goes to a page of the app without reloading it. `replace` rewrites the current history entry instead
 * of adding one: for redirects, and for view state (filters in the query) that Back should not step through.
 */
export function navigate(to: string, options: { replace?: boolean } = {}): void {
  const url = new URL(to, window.location.href);
  if (url.origin !== window.location.origin || isServerPath(url.pathname)) {
    window.location.assign(url.href);
    return;
  }
  const target = url.pathname + url.search + url.hash;
  const current = window.location.pathname + window.location.search + window.location.hash;
  if (options.replace) window.history.replaceState(null, '', target);
  else if (target !== current) window.history.pushState(null, '', target);
  const before = currentLocation.get().path;
  currentLocation.set(readLocation());
  if (!options.replace && currentLocation.get().path !== before) window.scrollTo(0, 0);
}

/** A click the browser should handle itself: new tab, download, another site, the API, a hash jump. */
function anchorToFollow(event: MouseEvent): HTMLAnchorElement | null {
  if (event.defaultPrevented || event.button !== 0) return null;
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return null;
  const anchor = event.target instanceof Element ? event.target.closest('a') : null;
  if (!anchor?.href || anchor.hasAttribute('download')) return null;
  if (anchor.target && anchor.target !== '_self') return null;
  const url = new URL(anchor.href);
  if (url.origin !== window.location.origin || isServerPath(url.pathname)) return null;
  const samePage =
    url.pathname === window.location.pathname && url.search === window.location.search && url.hash !== '';
  return samePage ? null : anchor;
}

/**
 * Makes every same-origin `<a href>` in the app a client-side navigation, so pages use plain links,
 * and follows Back and Forward. Returns the function that stops it.
 */
export function startRouter(): () => void {
  currentLocation.set(readLocation());
  const onPopState = () => {
    currentLocation.set(readLocation());
  };
  const onClick = (event: MouseEvent) => {
    const anchor = anchorToFollow(event);
    if (!anchor) return;
    event.preventDefault();
    navigate(anchor.href);
  };
  window.addEventListener('popstate', onPopState);
  document.addEventListener('click', onClick);
  return () => {
    window.removeEventListener('popstate', onPopState);
    document.removeEventListener('click', onClick);
  };
}
