import { render } from 'preact';
import './styles/tokens.css';
import './styles/base.css';
import './styles/layout.css';
import './styles/controls.css';
import './styles/pages.css';
import { App } from './app/App';
import { startRouter } from './app/router';
import { startTheme } from './app/theme';
import { startSession } from './session/session';

startTheme();
startRouter();
startSession();

const root = document.getElementById('app');
if (!root) throw new Error('index.html has no #app element');
render(<App />, root);
