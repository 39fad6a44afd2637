import { Errors } from 'moleculer';
import { clientError } from '../runtime/client-error.js';
import { BadRequest } from '../../lib/query/bad-request.js';

/** When a client whose query ran out of time is told to try again. */
export const QUERY_TIMEOUT_RETRY_SECONDS = 5;

/** ClickHouse stopped the query at its time limit, or foresaw that it would not end within it. */
const OUT_OF_TIME = new Set(['TIMEOUT_EXCEEDED', 'TOO_SLOW']);

/**
 * An error of a read as its caller must see it: a bad parameter as Moleculer's validation error, which
 * keeps the parameter's name; a query stopped at the time limit as a 503 to retry later; anything else as
 * it is.
 */
export function answerable(err: unknown, timeoutSeconds: number): unknown {
  if (err instanceof BadRequest)
    return new Errors.ValidationError(err.message, 'BAD_PARAMETER', { parameter: err.parameter });
  const type = (err as { type?: unknown } | null)?.type;
  if (typeof type === 'string' && OUT_OF_TIME.has(type))
    return clientError(
      503,
      'QUERY_TIMEOUT',
      `the query ran into the ${timeoutSeconds} s limit; try again later, or ask for a shorter range or a coarser resolution`,
      { retryAfter: QUERY_TIMEOUT_RETRY_SECONDS },
    );
  return err;
}
