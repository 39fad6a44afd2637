import { useEffect, useState } from 'preact/hooks';
import type { Theme } from './color-scale';

const DARK_QUERY = '(prefers-color-scheme: dark)';

/** `data-theme` on <html> when the user chose one, otherwise the system's preference. */
function currentTheme(): Theme {
  const chosen = document.documentElement.dataset['theme'];
  if (chosen === 'light' || chosen === 'dark') return chosen;
  return window.matchMedia(DARK_QUERY).matches ? 'dark' : 'light';
}

/** The page's theme, following the theme switch (an attribute change) and the system setting. */
export function useDocumentTheme(): Theme {
  const [theme, setTheme] = useState(currentTheme);
  useEffect(() => {
    const update = (): void => {
      setTheme(currentTheme());
    };
    const observer = new MutationObserver(update);
    observer.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
    const media = window.matchMedia(DARK_QUERY);
    media.addEventListener('change', update);
    update();
    return () => {
      observer.disconnect();
      media.removeEventListener('change', update);
    };
  }, []);
  return theme;
}
