import { render } from 'preact';

render(<p>EnergyLive</p>, document.getElementById('app') ?? document.body);
