import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import type { ClickHouseSettings } from '@clickhouse/client';
import { tempDir } from '../../test/support/temp-dir.js';
import { openClickHouse, scopedClickHouse, type ClickHouse } from './connection.js';

describe('embedded ClickHouse connection', function () {
  this.timeout(60_000);
  let dir: string;
  let ch: ClickHouse;

  before(() => {
    dir = tempDir();
    ch = openClickHouse({
      url: undefined,
      database: 'energylive',
      embeddedPath: path.join(dir, 'clickhouse'),
    });
  });

  after(async () => {
    await ch.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** The value of `max_result_rows` (0 by default) that a statement runs with. */
  async function maxResultRows(settings?: ClickHouseSettings): Promise<number> {
    const result = await ch.client.query({
      query: "SELECT getSetting('max_result_rows') AS v",
      format: 'JSONEachRow',
      ...(settings ? { clickhouse_settings: settings } : {}),
    });
    const [row] = await result.json<{ v: string | number }>();
    return Number(row?.v);
  }

  it('applies a setting given to one statement to that statement only', async () => {
    expect(await maxResultRows({ max_result_rows: '7' })).to.equal(7);
    expect(await maxResultRows()).to.equal(0);
    await ch.client.command({
      query: 'CREATE TABLE IF NOT EXISTS default.settings_probe (v UInt64) ENGINE = Memory',
      clickhouse_settings: { max_result_rows: '9' },
    });
    await ch.client.insert({
      table: 'default.settings_probe',
      values: [{ v: 1 }],
      format: 'JSONEachRow',
      clickhouse_settings: { max_result_rows: '11' },
    });
    await ch.client.command({
      query: "INSERT INTO default.settings_probe SELECT getSetting('max_result_rows')",
      clickhouse_settings: { max_result_rows: '13' },
    });
    const stored = await ch.client.query({
      query: 'SELECT v FROM default.settings_probe ORDER BY v',
      format: 'JSONEachRow',
    });
    expect((await stored.json<{ v: string }>()).map((r) => Number(r.v))).to.deep.equal([1, 13]);
    expect(await maxResultRows()).to.equal(0);
  });

  it('keeps each statement to its own settings when several are in flight', async () => {
    const values = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        maxResultRows(i % 3 === 0 ? { max_result_rows: String(i + 100) } : undefined),
      ),
    );
    expect(values).to.deep.equal(Array.from({ length: 12 }, (_, i) => (i % 3 === 0 ? i + 100 : 0)));
  });

  it("keeps a statement's own SETTINGS clause, which wins over the settings given with it", async () => {
    const result = await ch.client.query({
      query: "SELECT getSetting('max_result_rows') AS v SETTINGS max_result_rows = 5",
      format: 'JSONEachRow',
      clickhouse_settings: { max_result_rows: '6', max_threads: 1 },
    });
    expect(Number((await result.json<{ v: string }>())[0]?.v)).to.equal(5);
  });

  it('ends a statement that runs longer than its max_execution_time', async () => {
    const started = Date.now();
    const error = await ch.client
      .query({
        query: 'SELECT count() FROM numbers_mt(1e13)',
        format: 'JSONEachRow',
        clickhouse_settings: { max_execution_time: 1 },
      })
      .then(
        () => null,
        (err: unknown) => err as { type?: string },
      );
    expect(error?.type).to.equal('TIMEOUT_EXCEEDED');
    // Generous: the statement is stopped by its limit, not run to its end (hours).
    expect(Date.now() - started).to.be.below(20_000);
    expect(await maxResultRows()).to.equal(0);
  });

  it('never starts a statement of a scope whose caller gave up while it waited for its turn', async () => {
    await ch.client.command({
      query: 'CREATE TABLE IF NOT EXISTS default.abandoned (v UInt8) ENGINE = Memory',
    });
    // Statements with parameters run one at a time: this one waits behind the sleep.
    const busy = ch.client.command({ query: 'SELECT sleep({s:UInt8})', query_params: { s: 2 } });
    const scoped = scopedClickHouse(ch, { signal: AbortSignal.timeout(300) });
    const queued = scoped.client
      .command({ query: 'INSERT INTO default.abandoned SELECT {v:UInt8}', query_params: { v: 1 } })
      .then(
        () => 'ran',
        () => 'refused',
      );
    await busy;
    expect(await queued).to.equal('refused');
    const rows = await ch.client.query({
      query: 'SELECT count() AS n FROM default.abandoned',
      format: 'JSONEachRow',
    });
    expect(Number((await rows.json<{ n: string }>())[0]?.n)).to.equal(0);
    const settled = scopedClickHouse(ch, { settings: { max_result_rows: '3' } });
    const result = await settled.client.query({
      query: "SELECT getSetting('max_result_rows') AS v",
      format: 'JSONEachRow',
    });
    expect(Number((await result.json<{ v: string }>())[0]?.v)).to.equal(3);
    expect(await maxResultRows()).to.equal(0);
  });
});
