import { useEffect, useRef, useState } from 'preact/hooks';
import { apiUrl, type Query } from '../api/client';
import type { ColumnarSeries } from '../api/types';

export type LiveStatus = 'connecting' | 'live' | 'reconnecting' | 'ended';

export interface LiveHandlers {
  /** Changed points of the range watched by stream `index`, to merge into what is shown. */
  onUpdate: (index: number, update: ColumnarSeries) => void;
  /** Events were missed and cannot be replayed: load the whole range again. */
  onStale: () => void;
  /** The server ended a stream for good (the plan ended, or the session). */
  onEnded: (reason: string) => void;
}

const RANK: Record<LiveStatus, number> = { live: 0, connecting: 1, reconnecting: 2, ended: 3 };

/**
 * The gateway's Server-Sent Events for a few series requests (a browser holds only six connections to
 * one host, so views keep to four). EventSource reconnects by itself and sends `Last-Event-ID`, so the
 * server replays what was missed; when it cannot (`resumed: false` after a reconnect), the view
 * reloads. The status is the worst of the streams'.
 */
export function useLive(
  queries: Query[] | null,
  handlers: LiveHandlers,
): { status: LiveStatus; lastEvent: Date | null } {
  const [statuses, setStatuses] = useState<LiveStatus[]>([]);
  const [lastEvent, setLastEvent] = useState<Date | null>(null);
  const latest = useRef(handlers);
  latest.current = handlers;
  const urls = queries ? queries.map((q) => apiUrl('/stream', q)) : [];
  const key = urls.join('\n');
  useEffect(() => {
    if (urls.length === 0) return undefined;
    setStatuses(urls.map(() => 'connecting'));
    const set = (i: number, status: LiveStatus) => {
      setStatuses((all) => all.map((s, j) => (j === i ? status : s)));
    };
    const sources = urls.map((url, i) => {
      const source = new EventSource(url);
      let opened = false;
      source.addEventListener('ready', (e) => {
        const ready = JSON.parse((e as MessageEvent<string>).data) as { resumed?: boolean };
        if (opened && ready.resumed !== true) latest.current.onStale();
        opened = true;
        set(i, 'live');
      });
      source.addEventListener('update', (e) => {
        latest.current.onUpdate(i, JSON.parse((e as MessageEvent<string>).data) as ColumnarSeries);
        setLastEvent(new Date());
      });
      source.addEventListener('end', (e) => {
        source.close();
        set(i, 'ended');
        const end = JSON.parse((e as MessageEvent<string>).data) as { reason?: string };
        latest.current.onEnded(end.reason ?? 'ended');
      });
      source.onerror = () => {
        // CLOSED: the browser gave up (the server refused with 401 or 402); otherwise it is retrying.
        set(i, source.readyState === EventSource.CLOSED ? 'ended' : 'reconnecting');
      };
      return source;
    });
    return () => {
      for (const source of sources) source.close();
    };
    // The joined URLs say when the streams must change; the array is new at each render.
  }, [key]);
  const status = statuses.reduce<LiveStatus>((worst, s) => (RANK[s] > RANK[worst] ? s : worst), 'live');
  return { status: statuses.length === 0 ? 'connecting' : status, lastEvent };
}
