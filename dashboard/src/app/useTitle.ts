import { useEffect } from 'preact/hooks';

/** The tab's title for a page: what it shows first, the app's name after. */
export function useTitle(title: string): void {
  useEffect(() => {
    document.title = title ? `${title} · EnergyLive` : 'EnergyLive';
  }, [title]);
}
