/** EnergyLive's mark: a spark over a grid line, in the accent colour. */
export function Logo() {
  return (
    <svg class="logo" viewBox="0 0 32 32" aria-hidden="true" focusable="false">
      <rect width="32" height="32" rx="9" class="logo-tile" />
      <path d="M18.5 5 9 18h6l-1.5 9L23 14h-6l1.5-9Z" class="logo-spark" />
    </svg>
  );
}
