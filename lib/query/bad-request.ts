/** A request parameter that cannot be served; answered with 400 and the parameter's name, never a 500. */
export class BadRequest extends Error {
  constructor(
    readonly parameter: string,
    message: string,
  ) {
    super(`${parameter}: ${message}`);
  }
}

const ISO = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?)?$/;

/** ISO 8601 date or date-time to epoch seconds; a bare date is 00:00 UTC, a time without zone is UTC. */
export function isoToEpoch(parameter: string, value: unknown): number {
  if (typeof value !== 'string' || !ISO.test(value)) {
    throw new BadRequest(
      parameter,
      'expected an ISO 8601 date or date-time, e.g. 2022-01-01 or 2022-01-01T12:00Z',
    );
  }
  const withZone =
    value.length === 10 ? `${value}T00:00:00Z` : /Z|[+-]\d{2}:\d{2}$/.test(value) ? value : `${value}Z`;
  const ms = Date.parse(withZone);
  if (Number.isNaN(ms)) throw new BadRequest(parameter, `not a valid time: "${value}"`);
  return Math.floor(ms / 1000);
}
