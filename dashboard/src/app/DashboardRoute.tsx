import { useEffect, useState } from 'preact/hooks';
import type { Profile } from '../api/types';
import { Loading } from './Loading';
import { Notice } from './Notice';

type DashboardModule = typeof import('../features/dashboard/DashboardPage');

let dashboard: Promise<DashboardModule> | undefined;

/**
 * The map and chart libraries are most of the app's weight, so the dashboard is its own chunk: the
 * landing, sign-in and account pages load without it.
 */
export function loadDashboard(): Promise<DashboardModule> {
  dashboard ??= import('../features/dashboard/DashboardPage').catch((err: unknown) => {
    dashboard = undefined;
    throw err;
  });
  return dashboard;
}

export function DashboardRoute(props: { profile: Profile }) {
  const [module, setModule] = useState<DashboardModule | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let live = true;
    loadDashboard().then(
      (loaded) => {
        if (live) setModule(loaded);
      },
      () => {
        if (live) setFailed(true);
      },
    );
    return () => {
      live = false;
    };
  }, []);
  if (failed)
    return (
      <div class="page narrow">
        {/* Most often a new version was deployed and this page's chunk names are gone. */}
        <Notice tone="error" title="The dashboard could not be loaded">
          Reload the page to get the current version.
        </Notice>
        <button
          type="button"
          class="button"
          onClick={() => {
            window.location.reload();
          }}
        >
          Reload
        </button>
      </div>
    );
  if (!module) return <Loading label="Loading the dashboard…" />;
  return <module.DashboardPage profile={props.profile} />;
}
