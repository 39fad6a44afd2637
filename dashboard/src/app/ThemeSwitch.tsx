import { setThemePreference, THEME_PREFERENCES, useThemePreference, type ThemePreference } from './theme';

const LABELS: Record<ThemePreference, string> = {
  system: 'Follow the system theme',
  light: 'Light theme',
  dark: 'Dark theme',
};

const ICONS: Record<ThemePreference, string> = {
  system: 'M4 5h16v11H4zM9 20h6M12 16v4',
  light:
    'M12 8a4 4 0 1 0 0 8 4 4 0 0 0 0-8Zm0-5v2m0 14v2M3 12h2m14 0h2M5.6 5.6l1.4 1.4m10 10 1.4 1.4M5.6 18.4 7 17M17 7l1.4-1.4',
  dark: 'M20 14.5A8 8 0 0 1 9.5 4a8 8 0 1 0 10.5 10.5Z',
};

/** System, light or dark: native radio buttons, so arrow keys move between them. */
export function ThemeSwitch() {
  const preference = useThemePreference();
  return (
    <fieldset class="theme-switch">
      <legend class="visually-hidden">Theme</legend>
      {THEME_PREFERENCES.map((option) => (
        <label key={option} title={LABELS[option]}>
          <input
            type="radio"
            name="theme"
            value={option}
            checked={preference === option}
            onChange={() => {
              setThemePreference(option);
            }}
          />
          <span class="visually-hidden">{LABELS[option]}</span>
          <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <path d={ICONS[option]} />
          </svg>
        </label>
      ))}
    </fieldset>
  );
}
