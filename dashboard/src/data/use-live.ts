import { useEffect, useRef, useState } from 'preact/hooks';
import { apiUrl, type Query } from '../api/client';
import type { ColumnarSeries } from '../api/types';

export type LiveStatus = 'connecting' | 'live' | 'reconnecting' | 'ended';

export interface LiveHandlers {
  /** Changed points of the watched range, to merge into what is shown. */
  onUpdate: (update: ColumnarSeries) => void;
  /** Events were missed and cannot be replayed: load the whole range again. */
  onStale: () => void;
  /** The server ended the stream for good (the plan ended, or the session). */
  onEnded: (reason: string) => void;
}

/**
 * The gateway's Server-Sent Events for one series request. EventSource reconnects by itself and sends
 * `Last-Event-ID`, so the server replays what was missed; when it cannot (`resumed: false` after a
 * reconnect), the view reloads. A null query watches nothing.
 */
export function useLive(query: Query | null, handlers: LiveHandlers): { status: LiveStatus; lastEvent: Date | null } {
  const [status, setStatus] = useState<LiveStatus>('connecting');
  const [lastEvent, setLastEvent] = useState<Date | null>(null);
  const latest = useRef(handlers);
  latest.current = handlers;
  const url = query ? apiUrl('/stream', query) : null;
  useEffect(() => {
    if (!url) return undefined;
    setStatus('connecting');
    const source = new EventSource(url);
    let opened = false;
    source.addEventListener('ready', (e) => {
      const resumed = (JSON.parse((e as MessageEvent<string>).data) as { resumed?: boolean }).resumed === true;
      if (opened && !resumed) latest.current.onStale();
      opened = true;
      setStatus('live');
    });
    source.addEventListener('update', (e) => {
      latest.current.onUpdate(JSON.parse((e as MessageEvent<string>).data) as ColumnarSeries);
      setLastEvent(new Date());
    });
    source.addEventListener('end', (e) => {
      source.close();
      setStatus('ended');
      latest.current.onEnded((JSON.parse((e as MessageEvent<string>).data) as { reason?: string }).reason ?? 'ended');
    });
    source.onerror = () => {
      // CLOSED means the browser gave up (the server refused with 401/402); otherwise it is retrying.
      setStatus(source.readyState === EventSource.CLOSED ? 'ended' : 'reconnecting');
    };
    return () => {
      source.close();
    };
  }, [url]);
  return { status, lastEvent };
}
