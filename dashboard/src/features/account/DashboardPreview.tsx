import { HeroChart } from '../landing/HeroChart';

const TABS = ['Load', 'Generation', 'Flows'];
const STATS = ['Maximum', 'Mean', 'Renewable share', 'Energy'];

/** A sketch of the dashboard's layout for those who cannot open it yet: controls, chart, statistics. */
export function DashboardPreview() {
  return (
    <div class="preview" aria-hidden="true">
      <div class="preview-bar">
        <span class="preview-tabs">
          {TABS.map((tab) => (
            <span key={tab} class={tab === 'Generation' ? 'is-active' : undefined}>
              {tab}
            </span>
          ))}
        </span>
        <span class="preview-chip">Germany · 24 h</span>
      </div>
      <HeroChart />
      <div class="preview-stats">
        {STATS.map((stat) => (
          <span key={stat}>
            <small>{stat}</small>
            <i />
          </span>
        ))}
      </div>
    </div>
  );
}
