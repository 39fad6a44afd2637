import { useCallback, useEffect, useState } from 'preact/hooks';
import { errorMessage } from './error-message';

export interface Loaded<T> {
  data: T | undefined;
  error: string | null;
  loading: boolean;
  reload: () => void;
}

/** Data a view shows, loaded when `deps` change; an outdated answer is dropped, not shown. */
export function useLoad<T>(load: (signal: AbortSignal) => Promise<T>, deps: readonly unknown[]): Loaded<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [round, setRound] = useState(0);
  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    setError(null);
    load(controller.signal).then(
      (value) => {
        if (controller.signal.aborted) return;
        setData(() => value);
        setLoading(false);
      },
      (err: unknown) => {
        if (controller.signal.aborted) return;
        setError(errorMessage(err));
        setLoading(false);
      },
    );
    return () => {
      controller.abort();
    };
    // `load` is new on every render; `deps` say when it asks for something else.
  }, [...deps, round]);
  const reload = useCallback(() => {
    setRound((n) => n + 1);
  }, []);
  return { data, error, loading, reload };
}
