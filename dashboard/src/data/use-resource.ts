import { useEffect, useState } from 'preact/hooks';

export interface Resource<T> {
  data: T | undefined;
  error: Error | undefined;
  loading: boolean;
  /** Loads again (after a live update said the data is stale, say). */
  reload: () => void;
}

/**
 * Data fetched for a key: loads when the key changes, aborts the request a newer key made stale, and
 * keeps showing the previous data while the next loads, so a chart does not blink at every change.
 * A null key loads nothing.
 */
export function useResource<T>(key: string | null, load: (signal: AbortSignal) => Promise<T>): Resource<T> {
  const [state, setState] = useState<{ data: T | undefined; error: Error | undefined; loading: boolean }>({
    data: undefined,
    error: undefined,
    loading: key !== null,
  });
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    if (key === null) return undefined;
    const controller = new AbortController();
    setState((s) => ({ ...s, loading: true }));
    load(controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setState({ data, error: undefined, loading: false });
      },
      (err: unknown) => {
        if (controller.signal.aborted) return;
        setState((s) => ({
          ...s,
          error: err instanceof Error ? err : new Error(String(err)),
          loading: false,
        }));
      },
    );
    return () => {
      controller.abort();
    };
    // `load` is a new closure at each render; the key says when it asks for something else.
  }, [key, generation]);
  return {
    ...state,
    reload: () => {
      setGeneration((g) => g + 1);
    },
  };
}
