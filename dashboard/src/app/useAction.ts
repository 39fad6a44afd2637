import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { errorMessage } from './error-message';

export interface Action<A extends unknown[]> {
  /** Runs the action unless it is already running; failures become `error`, never a rejection. */
  run: (...args: A) => Promise<void>;
  pending: boolean;
  error: string | null;
  clearError: () => void;
}

/** A button's or form's request: one at a time, with its pending state and a readable error. */
export function useAction<A extends unknown[]>(action: (...args: A) => Promise<void>): Action<A> {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const latest = useRef(action);
  latest.current = action;
  const running = useRef(false);
  const mounted = useRef(true);
  useEffect(
    () => () => {
      mounted.current = false;
    },
    [],
  );
  const run = useCallback(async (...args: A) => {
    if (running.current) return;
    running.current = true;
    setPending(true);
    setError(null);
    try {
      await latest.current(...args);
    } catch (err) {
      if (mounted.current) setError(errorMessage(err));
    } finally {
      running.current = false;
      if (mounted.current) setPending(false);
    }
  }, []);
  const clearError = useCallback(() => {
    setError(null);
  }, []);
  return { run, pending, error, clearError };
}
