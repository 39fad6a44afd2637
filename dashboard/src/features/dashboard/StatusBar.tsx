import type { Freshness } from '../../api/types';
import type { LiveStatus } from '../../data/use-live';

/** ENTSO-E publishes load and generation within about an hour; older than this, the data is late. */
const LATE_AFTER_SECONDS = 3 * 3600;

const since = (ms: number) => {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 90) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  return hours < 48 ? `${hours} h ago` : `${Math.round(hours / 24)} days ago`;
};

const LIVE_LABELS: Record<LiveStatus, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Connection lost — reconnecting…',
  ended: 'Live updates ended',
};

/**
 * When the dataset was last imported, when the shown area's data last grew, and whether the live
 * connection is up: the three things that say whether what is on screen is current.
 */
export function StatusBar(props: {
  freshness: Freshness | undefined;
  area: string;
  live: LiveStatus;
  lastEvent: Date | null;
  now: number;
}) {
  const imported = props.freshness?.lastImport?.importedAt;
  const newest = props.freshness?.areas.find((a) => a.area === props.area)?.last;
  const age = newest === undefined ? null : props.now / 1000 - newest;
  return (
    <div class="status-bar" role="status" aria-live="polite">
      <span class={`live-dot live-${props.live}`} aria-hidden="true" />
      <span class="live-label">{LIVE_LABELS[props.live]}</span>
      {imported && (
        <span>
          Last updated <time dateTime={imported}>{since(props.now - Date.parse(imported))}</time>
        </span>
      )}
      {props.lastEvent && <span>last change received {since(props.now - props.lastEvent.getTime())}</span>}
      {age !== null && age > LATE_AFTER_SECONDS && (
        <span class="late">
          Data for {props.area} is late: newest interval {since(age * 1000)}
        </span>
      )}
    </div>
  );
}
