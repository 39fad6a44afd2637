import { useEffect, useState } from 'preact/hooks';

/** Copies `text` to the clipboard and says so for a moment. */
export function CopyButton(props: { text: string; label?: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  useEffect(() => {
    if (state === 'idle') return;
    const timer = setTimeout(() => {
      setState('idle');
    }, 2_000);
    return () => {
      clearTimeout(timer);
    };
  }, [state]);
  const copy = () => {
    navigator.clipboard.writeText(props.text).then(
      () => {
        setState('copied');
      },
      () => {
        // Refused (no permission, insecure context): the text stays selectable.
        setState('failed');
      },
    );
  };
  return (
    <button type="button" class="button button-small" onClick={copy} aria-live="polite">
      {state === 'copied'
        ? 'Copied'
        : state === 'failed'
          ? 'Copy failed, select it'
          : (props.label ?? 'Copy')}
    </button>
  );
}
