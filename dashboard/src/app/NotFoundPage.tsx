import { useTitle } from './useTitle';

export function NotFoundPage() {
  useTitle('Page not found');
  return (
    <div class="page narrow center">
      <p class="eyebrow">404</p>
      <h1>Page not found</h1>
      <p class="lead">There is no page at this address. It may have moved, or the link may be incomplete.</p>
      <p class="cta-row center">
        <a class="button button-primary" href="/">
          Home
        </a>
        <a class="button" href="/app">
          Dashboard
        </a>
      </p>
    </div>
  );
}
