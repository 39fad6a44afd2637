export interface PollOptions {
  attempts: number;
  intervalMs: number;
  sleep?: (ms: number) => Promise<void>;
}

const wait = (ms: number) =>
  new Promise<void>((resolve) => {
    setTimeout(resolve, ms);
  });

/**
 * Calls `check` until `done` says its answer is the one awaited, at most `attempts` times; returns the
 * last answer either way. For state another system settles a moment later (a Stripe webhook).
 */
export async function pollUntil<T>(
  check: () => Promise<T>,
  done: (value: T) => boolean,
  options: PollOptions,
): Promise<T> {
  const sleep = options.sleep ?? wait;
  let value = await check();
  for (let attempt = 1; attempt < options.attempts && !done(value); attempt++) {
    await sleep(options.intervalMs);
    value = await check();
  }
  return value;
}
