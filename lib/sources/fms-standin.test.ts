import { expect } from 'chai';
import { mkdir, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import yauzl from 'yauzl';
import { FmsStandin } from './fms-standin.js';
import { makeTempDir } from './test-fixtures.js';

describe('FmsStandin', () => {
  let standin: FmsStandin;

  beforeEach(async () => {
    standin = await FmsStandin.start({ port: 0 });
    standin.setFile(
      'ActualTotalLoad_6.1.A_r3',
      '2025_11_ActualTotalLoad_6.1.A_r3.csv',
      'a\n',
      '2025-11-30T00:00:00Z',
    );
    standin.setFile(
      'ActualTotalLoad_6.1.A_r3',
      '2025_10_ActualTotalLoad_6.1.A_r3.csv',
      'b\n',
      '2025-11-01T00:00:00Z',
    );
  });

  afterEach(async () => {
    await standin.close();
  });

  async function token(): Promise<string> {
    const res = await fetch(standin.tokenUrl, {
      method: 'POST',
      body: new URLSearchParams({
        client_id: 'tp-fms-public',
        grant_type: 'password',
        username: standin.username,
        password: standin.password,
      }),
    });
    return ((await res.json()) as { access_token: string }).access_token;
  }

  async function call(operation: string, body: unknown, bearer?: string): Promise<Response> {
    return fetch(`${standin.url}/${operation}`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        ...(bearer ? { Authorization: `Bearer ${bearer}` } : {}),
      },
      body: JSON.stringify(body),
    });
  }

  const listBody = (folder: string): unknown => ({
    path: `/TP_export/${folder}/`,
    sorterList: [{ key: 'periodCovered.from', ascending: true }],
    pageInfo: { pageIndex: 0, pageSize: 10 },
  });

  it('answers 401 to a call without a token or with an unknown one', async () => {
    expect((await call('listFolder', listBody('ActualTotalLoad_6.1.A_r3'))).status).to.equal(401);
    expect((await call('listFolder', listBody('ActualTotalLoad_6.1.A_r3'), 'made-up')).status).to.equal(401);
  });

  it('lists a folder sorted by the period its files cover, with the fields clients read', async () => {
    const res = await call('listFolder', listBody('ActualTotalLoad_6.1.A_r3'), await token());
    const { contentItemList } = (await res.json()) as { contentItemList: Record<string, unknown>[] };
    expect(contentItemList.map((i) => i.name)).to.deep.equal([
      '2025_10_ActualTotalLoad_6.1.A_r3.csv',
      '2025_11_ActualTotalLoad_6.1.A_r3.csv',
    ]);
    expect(contentItemList[0]).to.include({
      type: 'File',
      size: 2,
      lastUpdatedTimestamp: '2025-11-01T00:00:00Z',
    });
    expect(contentItemList[0]?.fileId).to.be.a('string');
  });

  it('answers 404 for a folder it does not have', async () => {
    expect((await call('listFolder', listBody('Nope_1.1.A_r3'), await token())).status).to.equal(404);
  });

  it('downloads several files by id into one ZIP, and one file by name as plain CSV', async () => {
    const bearer = await token();
    const listing = (await (
      await call('listFolder', listBody('ActualTotalLoad_6.1.A_r3'), bearer)
    ).json()) as {
      contentItemList: { fileId: string }[];
    };
    const zipRes = await call(
      'downloadFileContent',
      {
        fileIdList: listing.contentItemList.map((i) => i.fileId),
        downloadAsZip: true,
        topLevelFolder: 'TP_export',
      },
      bearer,
    );
    const zip = await yauzl.fromBufferPromise(Buffer.from(await zipRes.arrayBuffer()), { lazyEntries: true });
    const names: string[] = [];
    for await (const entry of zip.eachEntry()) names.push(entry.fileName);
    expect(names).to.have.members([
      '2025_10_ActualTotalLoad_6.1.A_r3.csv',
      '2025_11_ActualTotalLoad_6.1.A_r3.csv',
    ]);

    const csvRes = await call(
      'downloadFileContent',
      {
        folder: '/TP_export/ActualTotalLoad_6.1.A_r3/',
        filename: '2025_11_ActualTotalLoad_6.1.A_r3.csv',
        downloadAsZip: false,
        topLevelFolder: 'TP_export',
      },
      bearer,
    );
    expect(await csvRes.text()).to.equal('a\n');
  });

  it('serves a local folder tree with file modification times as timestamps', async () => {
    const dir = await makeTempDir('standin');
    try {
      await mkdir(path.join(dir.path, 'PhysicalFlows_12.1.G_r3'));
      const file = path.join(dir.path, 'PhysicalFlows_12.1.G_r3', '2025_11_PhysicalFlows_12.1.G_r3.csv');
      await writeFile(file, 'flows\n');
      await utimes(file, new Date('2025-11-30T12:00:00Z'), new Date('2025-11-30T12:00:00Z'));
      await standin.addFromFolder(dir.path);
      const res = await call('listFolder', listBody('PhysicalFlows_12.1.G_r3'), await token());
      const { contentItemList } = (await res.json()) as { contentItemList: Record<string, unknown>[] };
      expect(contentItemList).to.have.length(1);
      expect(contentItemList[0]).to.include({ lastUpdatedTimestamp: '2025-11-30T12:00:00.000Z' });
      const download = await call(
        'downloadFileContent',
        {
          folder: '/TP_export/PhysicalFlows_12.1.G_r3/',
          filename: '2025_11_PhysicalFlows_12.1.G_r3.csv',
          downloadAsZip: false,
          topLevelFolder: 'TP_export',
        },
        await token(),
      );
      expect(await download.text()).to.equal('flows\n');
    } finally {
      await dir.remove();
    }
  });
});
