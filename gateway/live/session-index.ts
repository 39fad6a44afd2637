import type { SeriesRequest } from '../../lib/query/series-request.js';
import type { SeriesKey } from './series-change.js';

/** Sub-key of the sessions that want every production type of an area (and of every non-generation session). */
const EVERY_TYPE = '';

function areaKey(key: { dataset: string; area: string; in?: string | undefined }): string {
  return `${key.dataset}\u0000${key.area}\u0000${key.in ?? ''}`;
}

/**
 * Sessions by dataset, area (out and in area for flows) and production type, so that finding the
 * sessions a change concerns costs as much as the sessions of that area, not as all sessions.
 */
export class SessionIndex<S extends { readonly request: SeriesRequest }> {
  private readonly areas = new Map<string, Map<string, Set<S>>>();
  add(session: S): void {
    const area = areaKey(session.request);
    let types = this.areas.get(area);
    if (!types) this.areas.set(area, (types = new Map<string, Set<S>>()));
    const type = session.request.type ?? EVERY_TYPE;
    let sessions = types.get(type);
    if (!sessions) types.set(type, (sessions = new Set<S>()));
    sessions.add(session);
  }

  /** Forgets the session; empty entries go too, so areas nobody watches any more cost no memory. */
  delete(session: S): void {
    const area = areaKey(session.request);
    const types = this.areas.get(area);
    const type = session.request.type ?? EVERY_TYPE;
    const sessions = types?.get(type);
    if (!types || !sessions?.delete(session)) return;
    if (sessions.size === 0) types.delete(type);
    if (types.size === 0) this.areas.delete(area);
  }

  /**
   * The sessions watching this series: of its production type, and those watching every type; for a
   * flow, also those watching every border of either of its areas.
   */
  *matching(key: SeriesKey): Generator<S> {
    const keys = [areaKey(key)];
    if (key.dataset === 'flows' && key.in !== undefined)
      keys.push(
        areaKey({ dataset: key.dataset, area: key.area }),
        areaKey({ dataset: key.dataset, area: key.in }),
      );
    for (const k of keys) {
      const types = this.areas.get(k);
      if (!types) continue;
      if (key.type) yield* types.get(key.type) ?? [];
      yield* types.get(EVERY_TYPE) ?? [];
    }
  }
}

/** Whether a session asking for `request` watches the series of `key`: what `matching` finds, for one session. */
export function watches(request: SeriesRequest, key: SeriesKey): boolean {
  if (request.dataset === 'flows' && request.in === undefined && key.dataset === 'flows')
    return request.area === key.area || request.area === key.in;
  return areaKey(request) === areaKey(key) && (request.type === undefined || request.type === key.type);
}
