import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { testConfig } from '../support/config.js';
import { EnergyLiveProcess, event } from '../support/energylive-process.js';
import { freePort, startNatsServer, type TestNatsServer } from '../support/nats-server.js';
import { signUp, type Browser } from '../support/subscriber.js';
import { tempDir } from '../support/temp-dir.js';

/**
 * The operator's `energylive accounts` commands against a running EnergyLive whose accounts live in the
 * embedded default (PGlite), as `npm start` runs it.
 */
describe('energylive accounts CLI', function () {
  this.timeout(120_000);
  let nats: TestNatsServer | undefined;
  let dataDir: string;
  let env: Record<string, string>;
  let server: EnergyLiveProcess | undefined;
  let base: string;
  let browser: Browser;
  const email = `operator-test-${Date.now()}@example.com`;

  async function cli(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const p = new EnergyLiveProcess(['accounts', ...args], {
      ...env,
      ENERGYLIVE_DATA_DIR: path.join(dataDir, 'cli'),
    });
    const code = await p.exit();
    return { code, stdout: p.stdout, stderr: p.stderr };
  }

  const plan = async () =>
    (
      (await (await fetch(`${base}/api/v1/me`, { headers: { cookie: browser.cookie } })).json()) as {
        plan: { status: string; daysLeft: number; entitled: boolean };
      }
    ).plan;

  before(async () => {
    nats = await startNatsServer();
    dataDir = tempDir();
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    env = {
      ENERGYLIVE_DATA_DIR: dataDir,
      NATS_URL: nats.url,
      ENERGYLIVE_NAMESPACE: testConfig(nats.url, dataDir).namespace,
      ENERGYLIVE_HEALTH_PORT: 'off',
      ENERGYLIVE_GATEWAY_PORT: String(port),
      ENERGYLIVE_GATEWAY_HOST: '127.0.0.1',
      ENERGYLIVE_PUBLIC_URL: base,
      LOG_LEVEL: 'info',
    };
    server = new EnergyLiveProcess(['start', '--services', 'accounts,gateway'], env);
    await server.waitFor(event('gateway_listening'));
    browser = await signUp(base, email, 'operator test passphrase', async (to) =>
      String((await server!.waitFor((l) => l.event === 'email' && l.to === to)).text),
    );
  });

  after(async () => {
    await server?.kill();
    await nats?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('list shows each account with how it signs in and its plan', async () => {
    const result = await cli('list');
    expect(result.code).to.equal(0);
    expect(result.stdout).to.match(/EMAIL\s+SIGN-IN\s+PLAN\s+CREATED/);
    expect(result.stdout).to.match(new RegExp(`${email.replace(/\./g, '\\.')}\\s+password\\s+no plan`));
    const json = JSON.parse((await cli('list', '--json')).stdout) as { email: string }[];
    expect(json.map((a) => a.email)).to.include(email);
  });

  it('grant opens the data API for the given days, recorded as complimentary; revoke closes it', async () => {
    const granted = await cli('grant', '--email', email, '--days', '7');
    expect(granted.code).to.equal(0);
    expect(granted.stdout).to.match(/complimentary until \d{4}-\d\d-\d\d \(7 days left\)/);
    expect(await plan()).to.include({ status: 'complimentary', daysLeft: 7, entitled: true });
    const areas = await fetch(`${base}/api/v1/borders`, { headers: { cookie: browser.cookie } });
    await areas.body?.cancel();
    expect(areas.status).to.not.equal(402);
    const revoked = await cli('revoke', '--email', email);
    expect(revoked.code).to.equal(0);
    expect(await plan()).to.include({ entitled: false });
    const refused = await fetch(`${base}/api/v1/borders`, { headers: { cookie: browser.cookie } });
    expect(refused.status).to.equal(402);
  });

  it('says what is wrong with a bad command instead of failing silently', async () => {
    const unknown = await cli('grant', '--email', 'nobody@example.com', '--days', '3');
    expect(unknown.code).to.equal(1);
    expect(unknown.stderr).to.match(/no account with the email nobody@example\.com/);
    const noEmail = await cli('grant', '--days', '3');
    expect(noEmail.code).to.equal(2);
    expect(noEmail.stderr).to.match(/--email is required/);
    const badDays = await cli('grant', '--email', email, '--days', 'many');
    expect(badDays.code).to.equal(2);
  });
});
