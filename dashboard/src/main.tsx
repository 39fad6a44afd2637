import { render } from 'preact';
import './styles/tokens.css';
import './styles/base.css';
import './styles/layout.css';
import './styles/controls.css';
import './styles/pages.css';
import { App } from './app/App';
import { loadDashboard } from './app/DashboardRoute';
import { startRouter } from './app/router';
import { startTheme } from './app/theme';
import { startSession } from './session/session';

startTheme();
startRouter();
startSession();
// Opened straight at the dashboard: its chunk loads while the session is checked, not after.
if (window.location.pathname.startsWith('/app')) loadDashboard().catch(() => undefined);

const root = document.getElementById('app');
if (!root) throw new Error('index.html has no #app element');
render(<App />, root);
