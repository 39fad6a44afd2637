import { createStore, useStore } from './store';

export type ThemePreference = 'system' | 'light' | 'dark';
export type Theme = 'light' | 'dark';

export const THEME_PREFERENCES: readonly ThemePreference[] = ['system', 'light', 'dark'];

const STORAGE_KEY = 'energylive-theme';
const DARK_QUERY = '(prefers-color-scheme: dark)';

export function parsePreference(stored: string | null): ThemePreference {
  return stored === 'light' || stored === 'dark' ? stored : 'system';
}

export function resolveTheme(preference: ThemePreference, systemDark: boolean): Theme {
  if (preference === 'system') return systemDark ? 'dark' : 'light';
  return preference;
}

const preference = createStore<ThemePreference>('system');

function readStored(): ThemePreference {
  try {
    return parsePreference(window.localStorage.getItem(STORAGE_KEY));
  } catch {
    // Storage can be switched off (private modes, policies): the system's choice still applies.
    return 'system';
  }
}

/**
 * `data-theme` on <html> always holds the theme in effect, `light` or `dark`, never `system`: the styles'
 * custom properties and the map and charts read it from there.
 */
function apply(): void {
  const theme = resolveTheme(preference.get(), window.matchMedia(DARK_QUERY).matches);
  document.documentElement.dataset.theme = theme;
}

export function useThemePreference(): ThemePreference {
  return useStore(preference);
}

export function setThemePreference(next: ThemePreference): void {
  preference.set(next);
  try {
    if (next === 'system') window.localStorage.removeItem(STORAGE_KEY);
    else window.localStorage.setItem(STORAGE_KEY, next);
  } catch {
    // Not remembered across visits, still applied now.
  }
  apply();
}

/** Applies the stored choice and follows the system's and other tabs' changes; returns the stop function. */
export function startTheme(): () => void {
  preference.set(readStored());
  apply();
  const media = window.matchMedia(DARK_QUERY);
  const onStorage = (event: StorageEvent) => {
    if (event.key !== STORAGE_KEY && event.key !== null) return;
    preference.set(readStored());
    apply();
  };
  media.addEventListener('change', apply);
  window.addEventListener('storage', onStorage);
  return () => {
    media.removeEventListener('change', apply);
    window.removeEventListener('storage', onStorage);
  };
}
