import type { ComponentChildren } from 'preact';

export type NoticeTone = 'info' | 'success' | 'warning' | 'error';

/** A message in a page's flow; errors are announced at once, the rest politely. */
export function Notice(props: { tone: NoticeTone; title?: string; children?: ComponentChildren }) {
  return (
    <div class={`notice notice-${props.tone}`} role={props.tone === 'error' ? 'alert' : 'status'}>
      {props.title && <strong class="notice-title">{props.title}</strong>}
      {props.children && <div>{props.children}</div>}
    </div>
  );
}
