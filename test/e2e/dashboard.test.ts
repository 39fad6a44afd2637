import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { expect } from 'chai';
import { connect, type NatsConnection } from 'nats';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { pathToFileURL } from 'node:url';
import type { Topology } from 'topojson-specification';
import { publishFile } from '../../lib/pipeline/publish-file.js';
import { BUCKETS } from '../../lib/pipeline/subjects.js';
import { openNatsFileStore } from '../../lib/storage/nats-file-store.js';
import type { DatasetName } from '../../lib/config/env.js';
import { launchChromium, screenshot, VIEWPORTS, watchedPage } from '../support/browser.js';
import { testConfig } from '../support/config.js';
import { EnergyLiveProcess, event } from '../support/energylive-process.js';
import { entsoeFile, seriesRows, type FixtureRow } from '../support/entsoe-fixture.js';
import { freePort, startNatsServer, type TestNatsServer } from '../support/nats-server.js';
import { StripeStandin } from '../support/stripe-standin.js';
import { linkToken } from '../support/subscriber.js';
import { tempDir } from '../support/temp-dir.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const WEBHOOK_SECRET = 'whsec_dashboard_test';
const PASSWORD = 'a dashboard test passphrase';
const MONTH = { from: '2025-06-01 00:00', quarterHours: 30 * 96 };
const FILES: Record<DatasetName, string> = {
  load: '2025_06_ActualTotalLoad_6.1.A.csv',
  generation: '2025_06_AggregatedGenerationPerType_16.1.B_C.csv',
  flows: '2025_06_PhysicalFlows_12.1.G.csv',
};

const loadRows = (correction?: number): FixtureRow[] => [
  ...seriesRows({
    dataset: 'load',
    area: 'DE',
    from: MONTH.from,
    intervals: MONTH.quarterHours,
    value: (i) =>
      correction !== undefined && i === MONTH.quarterHours - 8 ? correction : 50000 + (i % 96) * 10,
    ...(correction !== undefined ? { updated: '2025-07-02 00:00:00' } : {}),
  }),
  ...seriesRows({
    dataset: 'load',
    area: 'FR',
    from: MONTH.from,
    intervals: MONTH.quarterHours,
    value: (i) => 45000 + (i % 96) * 5,
  }),
];

const generationRows = (): FixtureRow[] =>
  (
    [
      ['Solar', (i: number) => Math.max(0, 20000 * Math.sin(((i % 96) / 96) * Math.PI * 2 - Math.PI / 2))],
      ['Wind Onshore', (i: number) => 12000 + (i % 50) * 40],
      ['Fossil Gas', () => 8000],
      ['Nuclear', () => 0],
    ] as const
  ).flatMap(([productionType, value]) =>
    seriesRows({
      dataset: 'generation',
      area: 'DE',
      productionType,
      from: MONTH.from,
      intervals: MONTH.quarterHours,
      value,
    }),
  );

const flowRows = (): FixtureRow[] => [
  ...seriesRows({
    dataset: 'flows',
    area: 'DE',
    inArea: 'FR',
    resolution: 'PT60M',
    from: MONTH.from,
    intervals: 720,
    value: () => 1200,
  }),
  ...seriesRows({
    dataset: 'flows',
    area: 'FR',
    inArea: 'DE',
    resolution: 'PT60M',
    from: MONTH.from,
    intervals: 720,
    value: () => 300,
  }),
];

/** The CSV export's values, series by series, as numbers (null for an empty cell). */
function csvColumns(text: string): { header: string[]; rows: string[][] } {
  const [head = '', ...lines] = text.trim().split('\n');
  return { header: head.split(','), rows: lines.map((l) => l.split(',')) };
}

/**
 * The subscriber's journey in real Chromium against the real gateway and actors (ClickHouse, accounts
 * in PGlite, NATS) with Stripe's stand-in: sign up, subscribe, pick a country on the map, read the chart,
 * change the view, export, watch a live correction arrive, and reload a shared URL.
 */
describe('the dashboard in a real browser', function () {
  this.timeout(300_000);
  let nats: TestNatsServer | undefined;
  let nc: NatsConnection | undefined;
  let stripe: StripeStandin | undefined;
  let server: EnergyLiveProcess | undefined;
  let browser: Browser | undefined;
  let dataDir: string;
  let base: string;

  async function publish(dataset: DatasetName, rows: FixtureRow[], version: string) {
    const waitForImport = server!.lines.length;
    await publishFile(
      Readable.from([entsoeFile(dataset, 'official', rows)]),
      { kind: 'test', name: FILES[dataset], key: FILES[dataset], version },
      {
        js: nc!.jetstream(),
        store: await openNatsFileStore(nc!, BUCKETS.files),
        tmpDir: path.join(dataDir, 'tmp'),
      },
    );
    await server!.waitFor(
      (l) => l.event === 'import_done' && l.dataset === dataset && server!.lines.indexOf(l) >= waitForImport,
      120_000,
    );
  }

  before(async () => {
    if (!fs.existsSync(path.join(ROOT, 'dashboard/dist/index.html')))
      execFileSync('npm', ['run', 'build:dashboard'], { cwd: ROOT, stdio: 'inherit' });
    nats = await startNatsServer();
    nc = await connect({ servers: nats.url });
    stripe = await StripeStandin.start();
    dataDir = tempDir();
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    server = new EnergyLiveProcess(['start', '--services', 'importer,query,accounts,billing,gateway'], {
      ENERGYLIVE_DATA_DIR: dataDir,
      NATS_URL: nats.url,
      ENERGYLIVE_NAMESPACE: testConfig(nats.url, dataDir).namespace,
      ENERGYLIVE_HEALTH_PORT: 'off',
      ENERGYLIVE_GATEWAY_PORT: String(port),
      ENERGYLIVE_GATEWAY_HOST: '127.0.0.1',
      ENERGYLIVE_PUBLIC_URL: base,
      STRIPE_API_URL: stripe.url,
      STRIPE_SECRET_KEY: stripe.secretKey,
      STRIPE_PRICE_ID: stripe.prices[0] ?? '',
      STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
      LOG_LEVEL: 'info',
    });
    stripe.webhook = { url: `${base}/api/v1/billing/webhook`, secret: WEBHOOK_SECRET };
    await server.waitFor(event('gateway_listening'));
    await publish('load', loadRows(), '1');
    await publish('generation', generationRows(), '1');
    await publish('flows', flowRows(), '1');
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await server?.kill();
    await stripe?.close();
    await nc?.close();
    await nats?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  async function signUp(page: Page, email: string) {
    await page.goto(`${base}/signup`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page
      .getByText(/check your email/i)
      .first()
      .waitFor();
    const mail = await server!.waitFor((l) => l.event === 'email' && l.to === email);
    await page.goto(`${base}/confirm?token=${linkToken(String(mail.text))}`);
    await page.waitForURL(/\/account/);
  }

  /** From the subscribe prompt through the Stripe stand-in's checkout page back to the account. */
  async function subscribe(page: Page) {
    await page.getByRole('button', { name: 'Subscribe' }).first().click();
    await page.waitForURL(new RegExp(`^${stripe!.url}/c/pay/`));
    await page.getByRole('button', { name: 'Subscribe' }).click();
    await page.waitForURL(/\/account\?checkout=success/);
    await page
      .getByText(/active/i)
      .first()
      .waitFor();
  }

  async function exportCsv(page: Page): Promise<string> {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'CSV' }).click(),
    ]);
    const file = await download.path();
    return fs.readFileSync(file, 'utf8');
  }

  /** Clicks a country where the map draws it: its anchor point, placed the way the map fits Europe. */
  async function clickCountry(page: Page, mapCode: string) {
    const topology = JSON.parse(
      fs.readFileSync(path.join(ROOT, 'node_modules/world-atlas/countries-50m.json'), 'utf8'),
    ) as Topology;
    // The map's own modules, loaded at run time: they are the dashboard's (bundler resolution), not the server's.
    const mapModule = (file: string) =>
      pathToFileURL(path.join(ROOT, 'dashboard/src/features/map', file)).href;
    const { countryShapes } = (await import(mapModule('country-shapes.ts'))) as {
      countryShapes: (t: Topology) => { mapCode: string | null; anchor: [number, number] | null }[];
    };
    const { INITIAL_EXTENT } = (await import(mapModule('projection.ts'))) as {
      INITIAL_EXTENT: [number, number, number, number];
    };
    const anchor = countryShapes(topology).find((s) => s.mapCode === mapCode)?.anchor;
    const box = await page.locator('.ol-viewport').first().boundingBox();
    if (!anchor || !box) throw new Error(`no anchor for ${mapCode} or no map on the page`);
    const [minX, minY, maxX, maxY] = INITIAL_EXTENT;
    const resolution = Math.max((maxX - minX) / box.width, (maxY - minY) / box.height);
    await page.mouse.click(
      box.x + box.width / 2 + (anchor[0] - (minX + maxX) / 2) / resolution,
      box.y + box.height / 2 - (anchor[1] - (minY + maxY) / 2) / resolution,
    );
  }

  it('takes a new subscriber from sign-up through Stripe Checkout to a live dashboard', async () => {
    const context: BrowserContext = await browser!.newContext({
      viewport: VIEWPORTS.desktop,
      acceptDownloads: true,
    });
    const { page, errors } = await watchedPage(context);
    try {
      const email = `subscriber-${Date.now()}@example.com`;
      await signUp(page, email);

      await page.goto(`${base}/app`);
      await page.getByRole('heading', { name: 'Subscribe to open the dashboard' }).waitFor();
      await screenshot(page, 'subscribe-prompt-desktop-light');

      await subscribe(page);

      await page.goto(`${base}/app`);
      await page.locator('.ol-viewport').first().waitFor();
      await page.locator('.uplot').first().waitFor();
      await page.getByText('Live', { exact: true }).waitFor();

      await clickCountry(page, 'FR');
      await page.waitForURL(/area=FR/);
      await page.getByRole('heading', { name: /FR/ }).first().waitFor();

      const view = await page.evaluate(async () => {
        const r = await fetch('/api/v1/load?area=FR&from=2025-06-24T00:00:00Z&to=2025-07-01T00:00:00Z');
        return (await r.json()) as { t: number[]; series: { values: (number | null)[] }[] };
      });
      const csv = csvColumns(await exportCsv(page));
      expect(csv.header).to.deep.equal(['time', 'FR']);
      expect(csv.rows.map((r) => Number(r[1]))).to.deep.equal(view.series[0]?.values);
      expect(csv.rows[0]?.[0]).to.equal('2025-06-24T00:00:00Z');

      await page.getByRole('button', { name: '30 days' }).click();
      await page.getByLabel('Resolution').selectOption('P1D');
      await page.waitForURL(/range=30d/);
      await page.waitForURL(/resolution=P1D/);
      const daily = await page.evaluate(async () => {
        const r = await fetch(
          '/api/v1/load?area=FR&from=2025-06-01T00:00:00Z&to=2025-07-01T00:00:00Z&resolution=P1D',
        );
        return (await r.json()) as { series: { values: number[] }[] };
      });
      const dailyCsv = csvColumns(await exportCsv(page));
      expect(dailyCsv.rows).to.have.length(30);
      expect(dailyCsv.rows.map((r) => Number(r[1]))).to.deep.equal(daily.series[0]?.values);

      // Back to Germany's week, where a correction will arrive while the page is open.
      await page.goto(`${base}/app?area=DE`);
      await page.getByText('Live', { exact: true }).waitFor();
      await page.locator('.uplot').first().waitFor();
      await publish('load', loadRows(99999), '2');
      await page.getByText(/last change received/).waitFor({ timeout: 60_000 });
      const corrected = csvColumns(await exportCsv(page));
      expect(corrected.rows.map((r) => Number(r[1]))).to.include(99999);

      const shared = `${base}/app?dataset=generation&area=DE&range=30d&resolution=PT60M&tz=local`;
      await page.goto(shared);
      await page.locator('.uplot').first().waitFor();
      const before = await exportCsv(page);
      await page.reload();
      await page.locator('.uplot').first().waitFor();
      expect(page.url()).to.equal(shared);
      expect(await page.getByRole('tab', { name: 'Generation' }).getAttribute('aria-selected')).to.equal(
        'true',
      );
      expect(await exportCsv(page)).to.equal(before);
      expect(before.split('\n')[0]).to.match(/^time,/);
      expect(before.split('\n')[1]).to.match(/\+0[12]:00/);
      expect(errors).to.deep.equal([]);
    } finally {
      await context.close();
    }
  });

  it('after sign-in follows ?next= only to a page of the app, never to the site it names', async () => {
    const email = `returning-${Date.now()}@example.com`;
    const setup = await browser!.newContext({ viewport: VIEWPORTS.desktop });
    await signUp(await setup.newPage(), email);
    await setup.close();
    for (const [next, lands] of [
      ['%2F..%2F%2Fevil.example%2Fafter-login', '/app'],
      ['%2F%5Cevil.example', '/app'],
      ['%2Faccount%3Fwelcome', '/account'],
    ] as const) {
      const context = await browser!.newContext({ viewport: VIEWPORTS.desktop });
      const { page, errors } = await watchedPage(context);
      const elsewhere: string[] = [];
      await context.route(
        (url) => url.origin !== base,
        async (route) => {
          elsewhere.push(route.request().url());
          await route.fulfill({ contentType: 'text/html', body: '<title>elsewhere</title>' });
        },
      );
      try {
        await page.goto(`${base}/signin?next=${next}`);
        await page.getByLabel('Email').fill(email);
        await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
        await page.getByRole('button', { name: 'Sign in' }).click();
        await page.waitForURL((url) => url.pathname === lands || url.origin !== base);
        expect(new URL(page.url()).origin, next).to.equal(base);
        expect(new URL(page.url()).pathname, next).to.equal(lands);
        expect(elsewhere, next).to.deep.equal([]);
        expect(errors, next).to.deep.equal([]);
      } finally {
        await context.close();
      }
    }
  });

  it('after a password change says which API tokens still work, and revokes them all from the account page', async () => {
    const context = await browser!.newContext({ viewport: VIEWPORTS.desktop });
    const { page, errors } = await watchedPage(context);
    try {
      await signUp(page, `tokens-${Date.now()}@example.com`);
      await page.getByLabel('New token name').fill('notebook');
      await page.getByRole('button', { name: 'Create token' }).click();
      await page.getByRole('button', { name: 'I have copied it' }).click();
      await page.getByText('notebook', { exact: true }).waitFor();
      await page.getByLabel('Current password').fill(PASSWORD);
      await page.getByLabel('New password', { exact: true }).fill('a changed dashboard passphrase');
      await page.getByRole('button', { name: 'Change password' }).click();
      await page.getByText('1 API token still works').waitFor();
      await screenshot(page, 'account-tokens-kept-desktop-light');
      await page.getByRole('button', { name: 'Revoke all tokens' }).click();
      await page.getByText('1 API token revoked').waitFor();
      await page.getByText('No tokens yet.').waitFor();
      expect(errors).to.deep.equal([]);
    } finally {
      await context.close();
    }
  });

  it('shows every page in light and dark, on a desktop and on a phone', async () => {
    for (const scheme of ['light', 'dark'] as const) {
      for (const [device, viewport] of Object.entries(VIEWPORTS)) {
        const context = await browser!.newContext({ viewport, colorScheme: scheme });
        const { page, errors } = await watchedPage(context);
        try {
          for (const [name, url] of [
            ['landing', '/'],
            ['sign-up', '/signup'],
            ['sign-in', '/signin'],
            ['reset', '/reset'],
          ] as const) {
            await page.goto(`${base}${url}`);
            await page.locator('main').first().waitFor();
            await screenshot(page, `${name}-${device}-${scheme}`);
          }
          const email = `viewer-${scheme}-${device}-${Date.now()}@example.com`;
          await signUp(page, email);
          await screenshot(page, `account-${device}-${scheme}`);
          await page.goto(`${base}/app`);
          await page
            .getByRole('heading', { name: /Subscribe/ })
            .first()
            .waitFor();
          await screenshot(page, `subscribe-prompt-${device}-${scheme}`);
          await subscribe(page);
          await screenshot(page, `account-subscribed-${device}-${scheme}`);
          for (const [name, query] of [
            ['dashboard-load', 'area=DE'],
            ['dashboard-generation', 'dataset=generation&area=DE'],
            ['dashboard-flows', 'dataset=flows&area=DE&measure=netImport'],
          ] as const) {
            await page.goto(`${base}/app?${query}`);
            await page.locator('.uplot').first().waitFor();
            await page.locator('.ol-viewport').first().waitFor();
            await page.getByText('Live', { exact: true }).waitFor();
            await screenshot(page, `${name}-${device}-${scheme}`);
          }
          expect(errors, `${device} ${scheme}`).to.deep.equal([]);
        } finally {
          await context.close();
        }
      }
    }
  });
});
