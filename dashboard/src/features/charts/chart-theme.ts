/**
 * Colours a canvas cannot take from CSS by itself, read from the page's custom properties. The shell defines
 * them per theme (`:root[data-theme=dark]`, `[data-theme=light]`, or by `prefers-color-scheme`).
 */
export interface ChartTheme {
  /** `--text`: axis values, legend, title of an exported image. */
  text: string;
  /** `--text-muted`: captions of an exported image. */
  muted: string;
  /** `--grid` (else `--border`): grid lines and ticks. */
  grid: string;
  /** `--surface`: the background the chart sits on (cursor points, exported image). */
  surface: string;
}

function property(style: CSSStyleDeclaration, name: string, fallback: string): string {
  const value = style.getPropertyValue(name).trim();
  return value === '' ? fallback : value;
}

export function readChartTheme(element: Element): ChartTheme {
  const style = getComputedStyle(element);
  const dark = matchMedia('(prefers-color-scheme: dark)').matches;
  const text = property(style, '--text', style.color || (dark ? '#e6e8eb' : '#1d2330'));
  return {
    text,
    muted: property(style, '--text-muted', text),
    grid: property(
      style,
      '--grid',
      property(style, '--border', dark ? 'rgba(255,255,255,0.12)' : 'rgba(0,0,0,0.1)'),
    ),
    surface: property(style, '--surface', dark ? '#15181d' : '#ffffff'),
  };
}

/** Calls `onChange` when the theme may have changed: the `data-theme` switch or the system's scheme. */
export function observeTheme(onChange: () => void): () => void {
  const observer = new MutationObserver(onChange);
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
  const scheme = matchMedia('(prefers-color-scheme: dark)');
  scheme.addEventListener('change', onChange);
  return () => {
    observer.disconnect();
    scheme.removeEventListener('change', onChange);
  };
}
