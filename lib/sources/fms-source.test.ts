import { expect } from 'chai';
import { readdir } from 'node:fs/promises';
import { FmsHttpError, FmsRateLimitError } from './fms-client.js';
import { FmsSource, type FmsSourceOptions } from './fms-source.js';
import { FmsStandin } from './fms-standin.js';
import { legacyCsv, makeTempDir, readAll, type TempDir } from './test-fixtures.js';

const LOAD = 'ActualTotalLoad_6.1.A_r3';
const GENERATION = 'AggregatedGenerationPerType_16.1.B_C_r3';
const FLOWS = 'PhysicalFlows_12.1.G_r3';

describe('FmsSource', () => {
  let standin: FmsStandin;
  let tmp: TempDir;

  beforeEach(async () => {
    standin = await FmsStandin.start({ port: 0 });
    tmp = await makeTempDir('fms');
    standin.setFile('', 'Export_log_r3.csv', 'log', '2025-11-01T00:00:00Z');
    standin.addFolder('DayAheadPrices_12.1.D_r3');
    standin.setFile(
      LOAD,
      '2025_11_ActualTotalLoad_6.1.A_r3.csv',
      legacyCsv('load', 3, '2025-11'),
      '2025-11-30T10:00:00Z',
    );
    standin.setFile(
      LOAD,
      '2025_10_ActualTotalLoad_6.1.A_r3.csv',
      legacyCsv('load', 2, '2025-10'),
      '2025-11-02T08:00:00Z',
    );
    standin.setFile(
      GENERATION,
      '2025_11_AggregatedGenerationPerType_16.1.B_C_r3.csv',
      legacyCsv('generation', 2),
      '2025-11-30T10:05:00Z',
    );
    standin.setFile(
      FLOWS,
      '2025_11_PhysicalFlows_12.1.G_r3.csv',
      legacyCsv('flows', 2),
      '2025-11-30T10:10:00Z',
    );
  });

  afterEach(async () => {
    await standin.close();
    await tmp.remove();
  });

  function source(options: Partial<FmsSourceOptions> = {}): FmsSource {
    return new FmsSource({
      username: standin.username,
      password: standin.password,
      apiUrl: standin.url,
      tokenUrl: standin.tokenUrl,
      tmpDir: tmp.path,
      ...options,
    });
  }

  it('lists the files of the three dataset folders with lastUpdatedTimestamp as version', async () => {
    const files = await source().list();
    expect(files).to.deep.equal([
      {
        key: `/TP_export/${LOAD}/2025_10_ActualTotalLoad_6.1.A_r3.csv`,
        name: '2025_10_ActualTotalLoad_6.1.A_r3.csv',
        dataset: 'load',
        size: legacyCsv('load', 2, '2025-10').length,
        version: '2025-11-02T08:00:00Z',
      },
      {
        key: `/TP_export/${LOAD}/2025_11_ActualTotalLoad_6.1.A_r3.csv`,
        name: '2025_11_ActualTotalLoad_6.1.A_r3.csv',
        dataset: 'load',
        size: legacyCsv('load', 3, '2025-11').length,
        version: '2025-11-30T10:00:00Z',
      },
      {
        key: `/TP_export/${GENERATION}/2025_11_AggregatedGenerationPerType_16.1.B_C_r3.csv`,
        name: '2025_11_AggregatedGenerationPerType_16.1.B_C_r3.csv',
        dataset: 'generation',
        size: legacyCsv('generation', 2).length,
        version: '2025-11-30T10:05:00Z',
      },
      {
        key: `/TP_export/${FLOWS}/2025_11_PhysicalFlows_12.1.G_r3.csv`,
        name: '2025_11_PhysicalFlows_12.1.G_r3.csv',
        dataset: 'flows',
        size: legacyCsv('flows', 2).length,
        version: '2025-11-30T10:10:00Z',
      },
    ]);
    const folderCalls = standin.apiRequests
      .slice(1)
      .map((r) => r.body as { path: string; sorterList: unknown });
    expect(folderCalls.map((b) => b.path)).to.deep.equal([
      `/TP_export/${LOAD}/`,
      `/TP_export/${GENERATION}/`,
      `/TP_export/${FLOWS}/`,
    ]);
    expect(folderCalls[0]?.sorterList).to.deep.equal([{ key: 'periodCovered.from', ascending: true }]);
  });

  it('finds dataset folders by prefix and takes the newest revision', async () => {
    standin.setFile(
      'PhysicalFlows_12.1.G_r3.1',
      '2025_12_PhysicalFlows_12.1.G_r3.1.csv',
      legacyCsv('flows', 1),
      '2025-12-01T00:00:00Z',
    );
    standin.setFile(
      'ActualTotalLoad_6.1.A_r4',
      '2025_12_ActualTotalLoad_6.1.A_r4.csv',
      legacyCsv('load', 1),
      '2025-12-01T00:00:00Z',
    );
    const keys = (await source().list()).map((f) => f.key);
    expect(keys).to.deep.equal([
      '/TP_export/ActualTotalLoad_6.1.A_r4/2025_12_ActualTotalLoad_6.1.A_r4.csv',
      `/TP_export/${GENERATION}/2025_11_AggregatedGenerationPerType_16.1.B_C_r3.csv`,
      '/TP_export/PhysicalFlows_12.1.G_r3.1/2025_12_PhysicalFlows_12.1.G_r3.1.csv',
    ]);
  });

  it('fails clearly when /TP_export/ has none of the dataset folders', async () => {
    const other = await FmsStandin.start({ port: 0 });
    try {
      other.addFolder('DayAheadPrices_12.1.D_r3');
      const fms = new FmsSource({
        username: other.username,
        password: other.password,
        apiUrl: other.url,
        tokenUrl: other.tokenUrl,
      });
      const error = await fms.list().catch((err: unknown) => err);
      expect((error as Error).message).to.match(/no folder starting with ActualTotalLoad_6\.1\.A_r/);
    } finally {
      await other.close();
    }
  });

  it('pages through a folder until a short page, and asks once more after an exactly full one', async () => {
    for (let month = 1; month <= 9; month++) {
      const mm = String(month).padStart(2, '0');
      standin.setFile(
        GENERATION,
        `2025_${mm}_AggregatedGenerationPerType_16.1.B_C_r3.csv`,
        'x',
        `2025-${mm}-28T00:00:00Z`,
      );
    }
    const files = await source({ pageSize: 2 }).list();
    expect(files.filter((f) => f.dataset === 'generation').map((f) => f.name.slice(0, 7))).to.deep.equal(
      ['01', '02', '03', '04', '05', '06', '07', '08', '09', '11'].map((mm) => `2025_${mm}`),
    );
    const pages = (folder: string): number[] =>
      standin.apiRequests
        .map((r) => r.body as { path: string; pageInfo: { pageIndex: number } })
        .filter((b) => b.path === `/TP_export/${folder}/`)
        .map((b) => b.pageInfo.pageIndex);
    expect(pages(GENERATION)).to.deep.equal([0, 1, 2, 3, 4, 5]);
    expect(pages(LOAD)).to.deep.equal([0, 1]);
    expect(pages(FLOWS)).to.deep.equal([0]);
  });

  it('downloads a file as a ZIP, streams the CSV inside and removes the staged download', async () => {
    const fms = source();
    const file = (await fms.list()).find((f) => f.dataset === 'flows')!;
    expect(await readAll(await fms.open(file))).to.equal(legacyCsv('flows', 2));
    const download = standin.apiRequests.at(-1)!;
    expect(download.operation).to.equal('downloadFileContent');
    expect(download.body).to.deep.equal({
      folder: `/TP_export/${FLOWS}/`,
      filename: '2025_11_PhysicalFlows_12.1.G_r3.csv',
      downloadAsZip: true,
      topLevelFolder: 'TP_export',
    });
    expect(await readdir(tmp.path)).to.deep.equal([]);
  });

  it('reports a file that is gone with its HTTP status and removes the staged download', async () => {
    const fms = source();
    const file = (await fms.list())[0]!;
    standin.removeFile(LOAD, file.name);
    const error = await fms.open(file).catch((err: unknown) => err);
    expect(error).to.be.instanceOf(FmsHttpError);
    expect((error as FmsHttpError).status).to.equal(404);
    expect(await readdir(tmp.path)).to.deep.equal([]);
  });

  it('asks for a token once and reuses it while it is valid', async () => {
    const fms = source();
    await fms.list();
    await fms.list();
    expect(standin.tokensIssued).to.equal(1);
    const tokenRequest = standin.requests.find((r) => r.operation === 'token');
    expect(tokenRequest?.body).to.deep.equal({
      client_id: 'tp-fms-public',
      grant_type: 'password',
      username: standin.username,
    });
  });

  it('renews the token shortly before it expires, without meeting a 401', async () => {
    standin.setTokenExpiresIn(0.4);
    const fms = source();
    await fms.list();
    await new Promise((resolve) => setTimeout(resolve, 250));
    await fms.list();
    expect(standin.tokensIssued).to.equal(2);
    expect(standin.requests.filter((r) => r.status === 401)).to.deep.equal([]);
  });

  it('gets a new token and retries once after a 401', async () => {
    const fms = source();
    await fms.list();
    standin.revokeTokens();
    expect(await fms.list()).to.have.length(4);
    expect(standin.tokensIssued).to.equal(2);
    expect(standin.requests.filter((r) => r.status === 401)).to.have.length(1);
  });

  it('gives up with the HTTP status when the new token is refused as well', async () => {
    standin.refuseAllTokens();
    const error = await source()
      .list()
      .catch((err: unknown) => err);
    expect(error).to.be.instanceOf(FmsHttpError);
    expect((error as FmsHttpError).message).to.match(/^FMS listFolder failed: HTTP 401/);
    expect(standin.apiRequests).to.have.length(2);
  });

  it('reports wrong credentials with status and reason, never with the password', async () => {
    const password = 'wrong-Secret-123';
    const error = await source({ password })
      .list()
      .catch((err: unknown) => err);
    expect(error).to.be.instanceOf(FmsHttpError);
    expect((error as Error).message).to.match(/^FMS token failed: HTTP 401: .*invalid_grant/);
    expect((error as Error).message).not.to.include(password);
    expect(source({ password }).describe()).not.to.include(password);
  });

  it('backs off after a 429 for as long as Retry-After says, then carries on', async () => {
    standin.rateLimitNext(1, 1);
    const started = Date.now();
    expect(await source().list()).to.have.length(4);
    const [limited, retried] = standin.apiRequests;
    expect(limited?.status).to.equal(429);
    expect(retried!.at - limited!.at).to.be.at.least(950);
    expect(Date.now() - started).to.be.below(3000);
  });

  it('pauses for the default time after a 429 without Retry-After', async () => {
    standin.rateLimitNext(2, null);
    expect(await source({ defaultRateLimitPauseMs: 200 }).list()).to.have.length(4);
    const [first, second, third] = standin.apiRequests;
    expect([first?.status, second?.status, third?.status]).to.deep.equal([429, 429, 200]);
    expect(second!.at - first!.at).to.be.at.least(190);
    expect(third!.at - second!.at).to.be.at.least(190);
  });

  it('fails fast during a long rate-limit pause instead of sending more requests', async () => {
    standin.rateLimitNext(1, 600);
    const fms = source({ maxRateLimitWaitMs: 5000 });
    const first = await fms.list().catch((err: unknown) => err);
    const second = await fms.list().catch((err: unknown) => err);
    expect(first).to.be.instanceOf(FmsRateLimitError);
    expect(second).to.be.instanceOf(FmsRateLimitError);
    expect((second as FmsRateLimitError).retryAt.getTime()).to.be.above(Date.now() + 590_000);
    expect(standin.apiRequests).to.have.length(1);
  });

  it('gives up with FmsRateLimitError after too many 429 answers in one call', async () => {
    standin.rateLimitNext(3, 0);
    const error = await source({ maxRateLimitRetries: 1 })
      .list()
      .catch((err: unknown) => err);
    expect(error).to.be.instanceOf(FmsRateLimitError);
    expect(standin.apiRequests.map((r) => r.status)).to.deep.equal([429, 429]);
  });

  it('keeps to its request budget per time window', async () => {
    const windowMs = 300;
    await source({ rateLimit: { requests: 2, windowMs } }).list();
    const times = standin.apiRequests.map((r) => r.at);
    expect(times).to.have.length(4);
    for (let i = 2; i < times.length; i++) expect(times[i]! - times[i - 2]!).to.be.at.least(windowMs - 10);
  });

  it('describes itself by URL and user, without password or token', async () => {
    const fms = source();
    await fms.list();
    expect(fms.describe()).to.equal(`fms ${standin.url} as ${standin.username}`);
  });
});
