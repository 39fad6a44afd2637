import type { ParsedUrlQuery } from 'node:querystring';
import { BadRequest } from '../lib/query/bad-request.js';

/** A URL's parameters as single values; a parameter given twice is ambiguous and refused. */
export function singleValued(query: ParsedUrlQuery): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(query)) {
    if (Array.isArray(value)) throw new BadRequest(name, 'given more than once');
    if (value !== undefined) out[name] = value;
  }
  return out;
}

export function format(params: Record<string, string>): 'json' | 'csv' {
  const value = params.format ?? 'json';
  if (value !== 'json' && value !== 'csv') throw new BadRequest('format', 'expected json or csv');
  return value;
}
