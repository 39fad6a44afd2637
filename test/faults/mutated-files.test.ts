import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { expect } from 'chai';
import { connect, type NatsConnection } from 'nats';
import { importFileReady } from '../../actors/importer/file-ready-import.js';
import type { ClickHouse } from '../../lib/clickhouse/connection.js';
import { rollupName, rollupSeriesColumns } from '../../lib/clickhouse/rollup-tables.js';
import { stepSecondsSql } from '../../lib/clickhouse/step-sql.js';
import type { DatasetName } from '../../lib/config/env.js';
import { DATASETS } from '../../lib/entsoe/datasets.js';
import { applyDefinitions } from '../../lib/nats/definitions.js';
import type { DeadLetter } from '../../lib/pipeline/messages.js';
import { deadLetterUnreadable, publishFile, type PublishOutcome } from '../../lib/pipeline/publish-file.js';
import { BUCKETS, STREAMS, subjects } from '../../lib/pipeline/subjects.js';
import { FolderSource } from '../../lib/sources/folder-source.js';
import { MemorySeenStore, SourcePoller } from '../../lib/sources/poller.js';
import type { RemoteFile, Source } from '../../lib/sources/source.js';
import { openFirstCsvEntry } from '../../lib/sources/zip.js';
import type { FileStore } from '../../lib/storage/file-store.js';
import { openNatsFileStore } from '../../lib/storage/nats-file-store.js';
import { migratedClickHouse } from '../support/clickhouse-fixture.js';
import {
  ANY_DOCUMENTED,
  mergedMonth,
  referenceParse,
  rowKey,
  type CanonicalRow,
  type ReferenceResult,
} from '../support/entsoe-reference.js';
import { entsoeFile, seriesRows } from '../support/entsoe-fixture.js';
import { mutationsOf, type MutatedFile, type SourceFile } from '../support/file-mutations.js';
import { startNatsServer, type TestNatsServer } from '../support/nats-server.js';
import { tempDir } from '../support/temp-dir.js';

const SEED = 20261203;
const ROOT = path.resolve(import.meta.dirname, '../..');
const SAMPLES = path.resolve(ROOT, '../shared/entsoe/samples');
const schema = { database: 'energylive' };

/** Row reasons the README documents ("Bad input"), read from it so the test follows the documentation. */
function documentedRowReasons(): Set<string> {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const paragraph = /\*\*Bad input\.\*\*([\s\S]*?)\n- \*\*/.exec(readme)?.[1] ?? '';
  return new Set([...paragraph.matchAll(/`([a-z0-9_]+)`/g)].map((m) => m[1] as string));
}

/**
 * The parser's codes for the files the README says go to the dead letters: empty, unknown header, no
 * valid row, another dataset than its folder says, an archive with no CSV in it.
 */
const FILE_REASONS = new Set([
  'empty_file',
  'unrecognized_header',
  'no_valid_rows',
  'wrong_dataset',
  'unreadable',
]);

function sample(rel: string, firstRows?: number): Buffer {
  const bytes = fs.readFileSync(path.join(SAMPLES, rel));
  if (firstRows === undefined) return bytes;
  // Cut after a whole line, keeping the file's own line endings and BOM.
  let at = 0;
  for (let n = 0; n <= firstRows && at >= 0; n++) at = bytes.indexOf(0x0a, at) + 1;
  return at > 0 ? bytes.subarray(0, at) : bytes;
}

/** An r3 file (no real one exists yet): slash-joined area types and country-style names with accents. */
function r3File(dataset: DatasetName, month: string): Buffer {
  const from = `${month}-01 00:00`;
  const rows = [
    ...seriesRows({
      dataset,
      area: 'AT',
      from,
      intervals: 48,
      areaType: 'BZN/CTA/CTY',
      productionType: 'Wind Onshore',
    }),
    ...seriesRows({
      dataset,
      area: 'DE',
      from,
      intervals: 24,
      resolution: 'PT60M',
      areaType: 'CTY/BZN',
      productionType: 'Solar',
    }),
  ].map((r) => ({
    ...r,
    ...(dataset === 'flows'
      ? {
          out_area_name: `Österreich (${r.out_map_code ?? ''})`,
          in_area_name: `Frankreich (${r.in_map_code ?? ''})`,
        }
      : { area_name: `Österreich (${r.map_code ?? ''})` }),
    ...(dataset === 'generation' ? { consumption: '0.000000' } : {}),
  }));
  return entsoeFile(dataset, 'r3', rows);
}

function bases(): SourceFile[] {
  const g = 'GeorgePag4028_EnergyLive2022-Ntua/csvtest';
  return [
    {
      base: 'load, official 2014-12',
      dataset: 'load',
      layout: 'official',
      name: '2014_12_ActualTotalLoad_6.1.A.csv',
      bytes: sample(`${g}/2014_12_ActualTotalLoad_6.1.A.csv`),
    },
    {
      base: 'generation, official 2015-02',
      dataset: 'generation',
      layout: 'official',
      name: '2015_02_AggregatedGenerationPerType_16.1.B_C.csv',
      bytes: sample(`${g}/2015_02_AggregatedGenerationPerType_16.1.B_C.csv`),
    },
    {
      base: 'flows, official 2015-03',
      dataset: 'flows',
      layout: 'official',
      name: '2015_03_PhysicalFlows_12.1.G.csv',
      bytes: sample(`${g}/2015_03_PhysicalFlows_12.1.G.csv`),
    },
    {
      base: 'load, snapshot 2022-01-01 02h',
      dataset: 'load',
      layout: 'snapshot',
      name: '2022_01_01_02_ActualTotalLoad6.1.A.csv',
      bytes: sample('kriskoutsi_EnergyLive-SaaS/ATL_final/2022_01_01_02_ActualTotalLoad6.1.A.csv'),
    },
    {
      base: 'generation, snapshot 2022-01-01 01h',
      dataset: 'generation',
      layout: 'snapshot',
      name: '2022_01_01_01_AggregatedGenerationPerType16.1.BC.csv',
      bytes: sample(
        'kriskoutsi_EnergyLive-SaaS/AGPT_final/2022_01_01_01_AggregatedGenerationPerType16.1.BC.csv',
        400,
      ),
    },
    {
      base: 'generation, spreadsheet UpdateTime',
      dataset: 'generation',
      layout: 'snapshot',
      name: '2022_01_02_08_AggregatedGenerationPerType16.1.BC.csv',
      bytes: sample(
        'kon-si_ntua_saas/microservice08/Data/2022_01_02_08_AggregatedGenerationPerType16.1.BC.csv',
        300,
      ),
    },
    {
      base: 'flows, snapshot with every area type',
      dataset: 'flows',
      layout: 'snapshot',
      name: 'new_ff.csv',
      bytes: sample('Farg245_EnergyLive2022/microservice07/csv_files/new_ff.csv', 400),
    },
    {
      base: 'load, r3 fixture',
      dataset: 'load',
      layout: 'r3',
      name: '2024_05_ActualTotalLoad_6.1.A_r3.csv',
      bytes: r3File('load', '2024-05'),
    },
    {
      base: 'generation, r3 fixture',
      dataset: 'generation',
      layout: 'r3',
      name: '2024_06_AggregatedGenerationPerType_16.1.B_C_r3.csv',
      bytes: r3File('generation', '2024-06'),
    },
    {
      base: 'flows, r3 fixture',
      dataset: 'flows',
      layout: 'r3',
      name: '2024_07_PhysicalFlows_12.1.G_r3.csv',
      bytes: r3File('flows', '2024-07'),
    },
  ];
}

/** The kinds of damage that need one file per dataset go to one base of each, together covering every layout. */
const BROAD = new Set(['load, official 2014-12', 'generation, snapshot 2022-01-01 01h', 'flows, r3 fixture']);

type Check = 'crash' | 'verdict' | 'counts' | 'reasons' | 'untouched' | 'store' | 'status';

interface Finding {
  check: Check;
  what: string;
}

interface Swept {
  file: MutatedFile;
  index: number;
  expected: ReferenceResult;
  outcome: string;
  findings: Finding[];
}

type Month = Map<string, CanonicalRow[]>;

/**
 * What became of a file: what the parser published, or its dead letter. `polls`: at which poll of the
 * source it was handled; `laterPolls`: files a poll after that handled again (none: handled once).
 */
type Parsed = (PublishOutcome | { status: 'rejected'; deadLetter: DeadLetter }) & {
  polls: number;
  laterPolls: number;
};

/** README: a file that cannot be read "is tried at three polls while its version stays the same". */
const UNREADABLE_POLLS = 3;

describe('mutated ENTSO-E files through the parser and the importer', function () {
  this.timeout(600_000);
  let nats: TestNatsServer;
  let nc: NatsConnection;
  let store: FileStore;
  let ch: ClickHouse;
  let dir: string;
  const documented = documentedRowReasons();
  /** What every stored month must hold: starts as what the intact files hold, follows every import. */
  const model = new Map<string, Month>();
  const swept: Swept[] = [];
  const files: MutatedFile[] = [];

  const monthKey = (dataset: DatasetName, month: string) => `${dataset}:${month}`;

  async function query<T>(sql: string, params: Record<string, unknown> = {}): Promise<T[]> {
    return (await ch.client.query({ query: sql, query_params: params, format: 'JSONEachRow' })).json<T>();
  }

  /** A digest of every month of every measurement and rollup table, in one query. */
  async function digests(): Promise<Map<string, string>> {
    const parts: string[] = [];
    for (const dataset of ['load', 'generation', 'flows'] as const) {
      for (const [table, time] of [
        [dataset, 'ts'],
        [rollupName(DATASETS[dataset], 'hourly'), 'hour'],
        [rollupName(DATASETS[dataset], 'daily'), 'day'],
      ] as const) {
        parts.push(
          `SELECT '${dataset}' AS d, '${table}' AS t, toYYYYMM(${time}) AS m, count() AS n, sum(cityHash64(*)) AS s, ` +
            `groupBitXor(cityHash64(*)) AS x FROM energylive.${table} GROUP BY m`,
        );
      }
    }
    const rows = await query<{ d: string; t: string; m: number; n: string; s: string; x: string }>(
      parts.join(' UNION ALL '),
    );
    return new Map(
      rows.map((r) => [
        `${r.d}:${String(r.m).slice(0, 4)}-${String(r.m).slice(4)}:${r.t}`,
        `${r.n}/${r.s}/${r.x}`,
      ]),
    );
  }
  let lastDigests: Map<string, string> | undefined;

  /** The stored rows of a month, as the reference writes them. */
  async function storedMonth(dataset: DatasetName, month: string): Promise<Map<string, CanonicalRow>> {
    const spec = DATASETS[dataset];
    const others = spec.columns.map((c) => c.name).filter((c) => c !== 'ts' && c !== 'updated');
    const rows = await query<Record<string, string | number | null>>(
      `SELECT toString(ts) AS ts_text, ${others.join(', ')}, toString(updated) AS updated_text FROM energylive.${dataset} ` +
        'WHERE toYYYYMM(ts) = {m:UInt32}',
      { m: Number(month.replace('-', '')) },
    );
    const out = new Map<string, CanonicalRow>();
    for (const r of rows) {
      const row: CanonicalRow = { ts: r.ts_text ?? null, updated: r.updated_text ?? null };
      for (const c of others) row[c] = r[c] ?? null;
      out.set(rowKey(dataset, row), row);
    }
    return out;
  }

  const same = (a: CanonicalRow, b: CanonicalRow) =>
    Object.keys(a).length === Object.keys(b).length &&
    Object.keys(a).every((k) => a[k] === b[k] || (a[k] === 0 && b[k] === 0));

  /** How the stored month differs from what it must hold; empty when it holds exactly that. */
  function differences(expected: Month, actual: Map<string, CanonicalRow>): string[] {
    const out: string[] = [];
    for (const [key, candidates] of expected) {
      const got = actual.get(key);
      if (!got) out.push(`missing ${key}: expected ${JSON.stringify(candidates[0])}`);
      else if (!candidates.some((c) => same(c, got)))
        out.push(
          `${key}: stored ${JSON.stringify(got)}, expected ${candidates.map((c) => JSON.stringify(c)).join(' or ')}`,
        );
    }
    for (const [key, got] of actual)
      if (!expected.has(key)) out.push(`unexpected ${key}: ${JSON.stringify(got)}`);
    return out;
  }

  /**
   * How an import that turned `before` into `after` must be reported (README, "Atomic months"):
   * `imported` when any column of any row changed, UpdateTimes and labels included, else `unchanged`;
   * its changed points are the intervals whose value is new or different.
   */
  const expectedReport = (dataset: DatasetName, before: Month, after: Map<string, CanonicalRow>) => {
    const values = DATASETS[dataset].valueColumns;
    const equal = (a: CanonicalRow, b: CanonicalRow, columns: readonly string[]) =>
      columns.every((c) => a[c] === b[c] || (a[c] === 0 && b[c] === 0));
    let changedPoints = 0;
    let changedRows = 0;
    for (const [key, now] of after) {
      const old = before.get(key)?.[0];
      if (!old || !equal(old, now, values)) changedPoints++;
      if (!old || !same(old, now)) changedRows++;
    }
    return { status: changedRows > 0 ? 'imported' : 'unchanged', changedPoints };
  };

  async function lastDeadLetter(): Promise<DeadLetter | null> {
    const jsm = await nc.jetstreamManager();
    try {
      const m = await jsm.streams.getMessage(STREAMS.deadLetter, {
        last_by_subj: subjects.deadLetter('parser'),
      });
      return m.json<DeadLetter>();
    } catch {
      return null;
    }
  }

  /**
   * What the source and the parser's poller do with a file. A CSV is published as it is read. A ZIP
   * sits in a folder of its own, as a folder or FTP source finds it, and the parser's poller opens it at
   * each poll: what it holds is published, or a file that cannot be read is tried at later polls and
   * given up on, then dead-lettered as the parser actor does (`deadLetterUnreadable`).
   */
  async function parse(file: MutatedFile, key: string): Promise<Parsed> {
    const options = {
      js: nc.jetstream(),
      store,
      tmpDir: path.join(dir, 'tmp'),
      expectDataset: file.expectDataset ?? file.dataset,
    };
    if (!file.archive) {
      const outcome = await publishFile(
        Readable.from([file.bytes]),
        { kind: 'folder', name: file.name, key, version: '1' },
        options,
      );
      return { ...outcome, polls: 1, laterPolls: 0 };
    }
    const root = path.join(dir, 'archives', key.split('/')[0] ?? '');
    fs.mkdirSync(path.dirname(path.join(root, key)), { recursive: true });
    fs.writeFileSync(path.join(root, key), file.bytes);
    let parsed: PublishOutcome | { status: 'rejected'; deadLetter: DeadLetter } | undefined;
    const failures: string[] = [];
    const ref = (remote: RemoteFile, from: Source) => ({
      kind: from.kind,
      name: remote.name,
      key: remote.key,
      version: remote.version,
    });
    const poller = new SourcePoller({
      source: new FolderSource(root),
      seen: new MemorySeenStore(),
      datasets: [file.dataset],
      intervalMs: 60_000,
      settleMs: 0,
      logger: {
        info: () => undefined,
        warn: (_message, details) => failures.push(String(details?.error)),
        error: (message, details) => failures.push(`${message}: ${String(details?.error)}`),
      },
      onFile: async (remote, from) => {
        parsed = await publishFile(await from.open(remote), ref(remote, from), options);
      },
      onRejected: async (remote, from, err) => {
        const message = err instanceof Error ? err.message : String(err);
        parsed = {
          status: 'rejected',
          deadLetter: await deadLetterUnreadable(nc.jetstream(), ref(remote, from), file.dataset, message),
        };
      },
    });
    let polls = 0;
    while (parsed === undefined && polls < UNREADABLE_POLLS + 2) {
      polls++;
      const result = await poller.pollOnce();
      if (result.listed !== 1) throw new Error(`the folder source listed ${result.listed} files`);
    }
    if (parsed === undefined)
      throw new Error(`still not handled after ${polls} polls: ${failures.slice(-1).join('')}`);
    const later = await poller.pollOnce();
    return { ...parsed, polls, laterPolls: later.handled + later.failed + later.rejected };
  }

  function expectationOf(file: MutatedFile): ReferenceResult {
    if (file.archive === 'intact') {
      const inner = innerOf.get(file) ?? Buffer.alloc(0);
      return referenceParse(inner, file.name.replace(/\.zip$/, '.csv'), { expectDataset: file.dataset });
    }
    if (file.archive) return { kind: 'rejected', reason: 'unreadable' };
    return referenceParse(file.bytes, file.name, { expectDataset: file.expectDataset ?? file.dataset });
  }
  const innerOf = new Map<MutatedFile, Buffer>();

  /** Sends one file through the pipeline and checks everything the parser and importer must get right. */
  async function sweepOne(file: MutatedFile, index: number): Promise<Swept> {
    const findings: Finding[] = [];
    const expected = expectationOf(file);
    // An archive's key is its path in its folder; the index keeps two archives of one name apart.
    const key = file.archive ? `${index}/${file.name}` : `${file.base}/${index}/${file.name}`;
    const before = lastDigests ?? (await digests());
    let outcome: Parsed | undefined;
    let summary: string;
    try {
      outcome = await parse(file, key);
      summary =
        (outcome.status === 'published'
          ? `published ${outcome.message.month} ${outcome.message.rows} rows ${JSON.stringify(outcome.message.rejected)}${outcome.duplicate ? ' (duplicate)' : ''}`
          : outcome.status === 'rejected'
            ? `dead-lettered: ${outcome.deadLetter.reason} (${outcome.deadLetter.message.slice(0, 120)})`
            : `empty (${outcome.month ?? 'no month'})`) + (file.archive ? ` at poll ${outcome.polls}` : '');
    } catch (err) {
      summary = `threw ${(err as Error).name}: ${(err as Error).message.slice(0, 200)}`;
      findings.push({
        check: 'crash',
        what: `the parser threw instead of refusing the file: ${(err as Error).message.slice(0, 160)}`,
      });
    }
    const expectedKind = expected.kind === 'rejected' ? `rejected (${expected.reason})` : expected.kind;
    let imported: { dataset: DatasetName; month: string; status: string; changedPoints: number } | undefined;
    if (outcome) {
      const got = outcome.status === 'published' ? 'rows' : outcome.status === 'empty' ? 'empty' : 'rejected';
      if (got !== expected.kind)
        findings.push({ check: 'verdict', what: `expected ${expectedKind}, got ${summary}` });
      if (outcome.status === 'rejected') {
        const reason = outcome.deadLetter.reason;
        if (!FILE_REASONS.has(reason))
          findings.push({ check: 'reasons', what: `undocumented file reason ${reason}` });
        // Damaged contents may read as some other unusable file before the archive's check fails at its end.
        if (expected.kind === 'rejected' && reason !== expected.reason && file.archive !== 'damaged')
          findings.push({ check: 'verdict', what: `rejected as ${reason}, expected ${expected.reason}` });
        const letter = await lastDeadLetter();
        if (letter?.file?.key !== key || letter.reason !== reason)
          findings.push({ check: 'reasons', what: `no dead letter with the reason ${reason}` });
      }
      // README: an unreadable file is tried at three polls, then dead-lettered; anything else at the first.
      const polls =
        file.archive === 'damaged' &&
        outcome.status === 'rejected' &&
        outcome.deadLetter.reason === 'unreadable'
          ? UNREADABLE_POLLS
          : 1;
      if (outcome.polls !== polls)
        findings.push({
          check: 'verdict',
          what: `handled at poll ${outcome.polls}, expected at poll ${polls}`,
        });
      if (outcome.laterPolls > 0)
        findings.push({
          check: 'reasons',
          what: 'handled again at a later poll, although its version is the same',
        });
      if (outcome.status === 'published') {
        const m = outcome.message;
        for (const reason of Object.keys(m.rejected))
          if (!documented.has(reason))
            findings.push({ check: 'reasons', what: `undocumented row reason ${reason}` });
        if (expected.kind === 'rows') {
          if (m.month !== expected.month)
            findings.push({ check: 'counts', what: `month ${m.month}, expected ${expected.month}` });
          if (m.rows !== expected.rows.length)
            findings.push({ check: 'counts', what: `${m.rows} rows kept, expected ${expected.rows.length}` });
          const wildcard = expected.rejected[ANY_DOCUMENTED] ?? 0;
          const actual = m.rejected as Record<string, number>;
          const total = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);
          const short = Object.entries(expected.rejected).filter(
            ([r, c]) => r !== ANY_DOCUMENTED && (actual[r] ?? 0) < c,
          );
          if (
            short.length > 0 ||
            total(actual) !== total(expected.rejected) ||
            (wildcard === 0 &&
              JSON.stringify(Object.entries(actual).sort()) !==
                JSON.stringify(Object.entries(expected.rejected).sort()))
          )
            findings.push({
              check: 'counts',
              what: `rejected ${JSON.stringify(actual)}, expected ${JSON.stringify(expected.rejected)}`,
            });
          // The parser may count a conversion of a row it then refuses for another reason.
          if (
            m.spreadsheetUpdateTimes < expected.spreadsheetUpdateTimes ||
            m.spreadsheetUpdateTimes > expected.spreadsheetUpdateTimes + total(actual)
          )
            findings.push({
              check: 'counts',
              what: `${m.spreadsheetUpdateTimes} spreadsheet UpdateTimes, expected ${expected.spreadsheetUpdateTimes}`,
            });
        }
        if (!outcome.duplicate) {
          try {
            const { events } = await importFileReady(m, m.dataset, {
              ch,
              schema,
              store,
              js: nc.jetstream(),
              tmpDir: path.join(dir, 'tmp'),
            });
            imported = {
              dataset: m.dataset,
              month: m.month,
              status: events[0]?.status ?? 'dead-lettered',
              changedPoints: events.reduce((sum, e) => sum + e.changedPoints, 0),
            };
          } catch (err) {
            findings.push({
              check: 'crash',
              what: `the import threw: ${(err as Error).message.slice(0, 160)}`,
            });
          }
        }
      }
    }
    const after = await digests();
    lastDigests = after;
    const target = imported ? monthKey(imported.dataset, imported.month) : undefined;
    const changed = [...new Set([...before.keys(), ...after.keys()])].filter(
      (k) => before.get(k) !== after.get(k),
    );
    const elsewhere = changed.filter((k) => !target || !k.startsWith(`${target}:`));
    if (elsewhere.length > 0)
      findings.push({
        check: 'untouched',
        what: `changed stored months it must leave alone: ${elsewhere.join(', ')}`,
      });
    if (imported && target) {
      const previous: Month = model.get(target) ?? new Map<string, CanonicalRow[]>();
      const wanted =
        expected.kind === 'rows' && monthKey(expected.dataset, expected.month) === target
          ? mergedMonth(imported.dataset, previous, expected.rows)
          : previous;
      const actual = await storedMonth(imported.dataset, imported.month);
      const diff = differences(wanted, actual);
      if (diff.length > 0)
        findings.push({
          check: 'store',
          what: `${target}: ${diff.length} row(s) differ from the newest-UpdateTime merge, e.g. ${diff.slice(0, 2).join('; ')}`,
        });
      // Only where the month is right (then it is one of the merges the file allows): a wrong month
      // already says what went wrong.
      if (diff.length === 0) {
        const report = expectedReport(imported.dataset, previous, actual);
        if (imported.status !== report.status)
          findings.push({
            check: 'status',
            what: `import reported ${imported.status}, expected ${report.status}`,
          });
        else if (report.status === 'imported' && imported.changedPoints !== report.changedPoints)
          findings.push({
            check: 'status',
            what: `import reported ${imported.changedPoints} changed points, expected ${report.changedPoints}`,
          });
      }
      // From here on the model follows what is stored, so one wrong import is reported once.
      model.set(target, new Map([...actual].map(([k, row]) => [k, [row]])));
    }
    return { file, index, expected, outcome: summary, findings };
  }

  function report(check: Check): string {
    const failing = swept.filter((s) => s.findings.some((f) => f.check === check));
    const groups = new Map<string, Swept[]>();
    for (const s of failing) {
      const key = s.file.what.replace(/ \(.*\)$/, '').replace(/bit \d flipped/, 'a bit flipped');
      groups.set(key, [...(groups.get(key) ?? []), s]);
    }
    const lines = [`${failing.length} of ${swept.length} files fail "${check}" (seed ${SEED}):`];
    for (const [what, group] of groups) {
      lines.push(`  ${what}: ${group.length} file(s), e.g.`);
      for (const s of group.slice(0, 2)) {
        lines.push(`    #${s.index} ${s.file.base} — ${s.file.what}, named ${s.file.name}`);
        lines.push(
          `      ${s.findings
            .filter((f) => f.check === check)
            .map((f) => f.what)
            .join('; ')
            .slice(0, 600)}`,
        );
        lines.push(`      parser: ${s.outcome}`);
      }
    }
    return lines.join('\n');
  }

  const failures = (check: Check) => swept.filter((s) => s.findings.some((f) => f.check === check)).length;

  before(async function () {
    this.timeout(600_000);
    nats = await startNatsServer();
    nc = await connect({ servers: nats.url });
    await applyDefinitions(nc);
    store = await openNatsFileStore(nc, BUCKETS.files);
    dir = tempDir('energylive-mutations-');
    ch = await migratedClickHouse(dir, schema);
    const all = bases();
    // The intact files first: what they hold is where the model starts.
    for (const [i, base] of all.entries()) {
      const intact: MutatedFile = {
        base: base.base,
        dataset: base.dataset,
        what: 'intact',
        name: base.name,
        bytes: base.bytes,
      };
      const expected = referenceParse(base.bytes, base.name, { expectDataset: base.dataset });
      if (expected.kind !== 'rows') throw new Error(`${base.base}: the reference reads ${expected.kind}`);
      const key = monthKey(expected.dataset, expected.month);
      if (!model.has(key)) model.set(key, new Map());
      swept.push(await sweepOne(intact, -1 - i));
    }
    for (const [i, base] of all.entries()) {
      const other = all[(i + 1) % all.length] as SourceFile;
      const mutations = await mutationsOf(base, SEED, {
        broad: BROAD.has(base.base),
        flipsPerPlace: 2,
        other: other.dataset === base.dataset ? (all[(i + 2) % all.length] as SourceFile) : other,
      });
      for (const m of mutations) if (m.archive === 'intact') innerOf.set(m, base.bytes);
      files.push(...mutations);
    }
    for (const [index, file] of files.entries()) swept.push(await sweepOne(file, index));
  });

  after(async () => {
    await ch.close();
    await nc.close();
    await nats.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('imports every intact sample and fixture exactly, value by value', () => {
    const intact = swept.filter((s) => s.file.what === 'intact');
    expect(intact.flatMap((s) => s.findings.map((f) => `${s.file.base}: ${f.what}`))).to.deep.equal([]);
  });

  it('sweeps at least 300 damaged files of every dataset and layout', () => {
    expect(files.length).to.be.at.least(300);
    for (const dataset of ['load', 'generation', 'flows'])
      expect(files.filter((f) => f.dataset === dataset).length, dataset).to.be.at.least(60);
  });

  it('never crashes: a file that cannot be used is refused with a reason', () => {
    expect(failures('crash'), report('crash')).to.equal(0);
  });

  it('accepts or refuses each file as the README says', () => {
    expect(failures('verdict'), report('verdict')).to.equal(0);
  });

  it('keeps every valid row and counts every refused one by its reason', () => {
    expect(failures('counts'), report('counts')).to.equal(0);
  });

  it('gives only documented reasons, and dead-letters every refused file', () => {
    expect(failures('reasons'), report('reasons')).to.equal(0);
  });

  it('leaves every stored month alone that a file does not hold (a refused file changes nothing)', () => {
    expect(failures('untouched'), report('untouched')).to.equal(0);
  });

  it('stores exactly the newest-UpdateTime merge of each accepted file, value by value', () => {
    expect(failures('store'), report('store')).to.equal(0);
  });

  it('reports an import as imported exactly when a stored column changed, and counts the changed values', () => {
    expect(failures('status'), report('status')).to.equal(0);
  });

  it('keeps the hourly and daily sums in step with every stored month', async () => {
    const wrong: string[] = [];
    for (const dataset of ['load', 'generation', 'flows'] as const) {
      const spec = DATASETS[dataset];
      const series = rollupSeriesColumns(spec).join(', ');
      const rows = await query<{ n: string }>(
        `SELECT count() AS n FROM (SELECT ${series}, toStartOfHour(ts) AS hour, sum(value * ${stepSecondsSql()}) AS vw, sum(${stepSecondsSql()}) AS w ` +
          `FROM energylive.${dataset} WHERE value IS NOT NULL GROUP BY ${series}, hour) AS a FULL OUTER JOIN energylive.${rollupName(spec, 'hourly')} AS b ` +
          `USING (${series}, hour) WHERE abs(a.vw - b.vw) > 1e-6 * (1 + abs(b.vw)) OR a.w != b.w`,
      );
      if (Number(rows[0]?.n ?? 0) > 0)
        wrong.push(`${dataset}: ${rows[0]?.n} hourly sums differ from the stored intervals`);
    }
    expect(wrong).to.deep.equal([]);
  });

  it('streams a 100 MB single line without holding it, and keeps the rows around it', async () => {
    const rows = seriesRows({ dataset: 'load', area: 'DE', from: '2024-08-01 00:00', intervals: 10 });
    const file = entsoeFile('load', 'snapshot', rows);
    const text = file.toString('utf8');
    const cut = text.indexOf('\n', text.indexOf('\n', text.indexOf('\n') + 1) + 1) + 1;
    const chunk = Buffer.alloc(1 << 20, 0x41);
    let peak = 0;
    const baseline = process.memoryUsage();
    async function* input(): AsyncGenerator<Buffer> {
      yield Buffer.from(text.slice(0, cut));
      for (let i = 0; i < 100; i++) {
        const m = process.memoryUsage();
        peak = Math.max(peak, m.arrayBuffers + m.heapUsed - baseline.arrayBuffers - baseline.heapUsed);
        await Promise.resolve();
        yield chunk;
      }
      yield Buffer.from(`\n${text.slice(cut)}`);
    }
    const outcome = await publishFile(
      input(),
      { kind: 'folder', name: '2024_08_01_10_ActualTotalLoad6.1.A.csv', key: 'long-line', version: '1' },
      { js: nc.jetstream(), store, tmpDir: path.join(dir, 'tmp'), expectDataset: 'load' },
    );
    expect(outcome.status).to.equal('published');
    if (outcome.status !== 'published') return;
    expect(outcome.message.rows).to.equal(10);
    expect(outcome.message.rejected).to.deep.equal({ line_too_long: 1 });
    expect(peak, 'memory held while the line streamed').to.be.below(48 * 1024 * 1024);
    await importFileReady(outcome.message, 'load', {
      ch,
      schema,
      store,
      js: nc.jetstream(),
      tmpDir: path.join(dir, 'tmp'),
    });
    const expected = referenceParse(file, '2024_08_01_10_ActualTotalLoad6.1.A.csv');
    if (expected.kind !== 'rows') throw new Error('the fixture must hold rows');
    expect(
      differences(mergedMonth('load', new Map(), expected.rows), await storedMonth('load', '2024-08')),
    ).to.deep.equal([]);
  });

  it('keeps a republication with newer UpdateTimes over an older version that arrives after it', async () => {
    const version = (updated: string, value: (i: number) => number) =>
      entsoeFile(
        'load',
        'snapshot',
        seriesRows({ dataset: 'load', area: 'FR', from: '2024-09-01 00:00', intervals: 8, updated, value }),
      );
    const name = '2024_09_02_00_ActualTotalLoad6.1.A.csv';
    const original = (i: number) => 1000 + i;
    const steps: [string, Buffer][] = [
      ['original, updated 2024-09-02', version('2024-09-02 00:00:00', original)],
      ['republished unchanged, updated 2024-10-01', version('2024-10-01 00:00:00', original)],
      [
        'an older correction, updated 2024-09-10, arriving last',
        version('2024-09-10 00:00:00', (i) => 2000 + i),
      ],
    ];
    const statuses: string[] = [];
    for (const [what, bytes] of steps) {
      const outcome = await publishFile(
        Readable.from([bytes]),
        { kind: 'folder', name, key: `republication/${what}`, version: '1' },
        { js: nc.jetstream(), store, tmpDir: path.join(dir, 'tmp'), expectDataset: 'load' },
      );
      if (outcome.status !== 'published') throw new Error(`${what}: ${outcome.status}`);
      const { events } = await importFileReady(outcome.message, 'load', {
        ch,
        schema,
        store,
        js: nc.jetstream(),
        tmpDir: path.join(dir, 'tmp'),
      });
      statuses.push(`${what}: ${events[0]?.status ?? '?'}`);
    }
    const stored = [...(await storedMonth('load', '2024-09')).values()].sort((a, b) =>
      String(a.ts).localeCompare(String(b.ts)),
    );
    expect(
      stored.map((r) => [r.value, r.updated]),
      `the newest UpdateTime (2024-10-01) must win; imports: ${statuses.join('; ')}`,
    ).to.deep.equal(Array.from({ length: 8 }, (_, i) => [original(i), '2024-10-01 00:00:00.000']));
  });

  it('after the sweep, good files still import exactly, value by value', async () => {
    const good: [string, string, DatasetName, boolean][] = [
      [
        'spirosdio_saas22-15/ATL-download-service/temp/2022_01_07_20_ActualTotalLoad6.1.A.csv',
        '2022_01_07_20_ActualTotalLoad6.1.A.csv',
        'load',
        false,
      ],
      [
        'kriskoutsi_EnergyLive-SaaS/ATL_final/2022_03_07_09_ActualTotalLoad6.1.A.csv',
        '2022_03_07_09_ActualTotalLoad6.1.A.csv',
        'load',
        false,
      ],
      [
        'kon-si_ntua_saas/microservice-parser-flows/import_files/2022_02_28_13_PhysicalFlows12.1.G.zip',
        '2022_02_28_13_PhysicalFlows12.1.G.zip',
        'flows',
        true,
      ],
    ];
    const problems: string[] = [];
    for (const [rel, name, dataset, zip] of good) {
      const bytes = fs.readFileSync(path.join(SAMPLES, rel));
      const input = zip ? await openFirstCsvEntry(path.join(SAMPLES, rel)) : Readable.from([bytes]);
      const outcome = await publishFile(
        input,
        { kind: 'folder', name, key: `good/${name}`, version: '1' },
        { js: nc.jetstream(), store, tmpDir: path.join(dir, 'tmp'), expectDataset: dataset },
      );
      if (outcome.status !== 'published') {
        problems.push(`${name}: ${outcome.status}`);
        continue;
      }
      await importFileReady(outcome.message, dataset, {
        ch,
        schema,
        store,
        js: nc.jetstream(),
        tmpDir: path.join(dir, 'tmp'),
      });
      const inner = zip ? await readAll(await openFirstCsvEntry(path.join(SAMPLES, rel))) : bytes;
      const expected = referenceParse(inner, name.replace(/\.zip$/, '.csv'), { expectDataset: dataset });
      if (expected.kind !== 'rows') {
        problems.push(`${name}: the reference reads ${expected.kind}`);
        continue;
      }
      const previous: Month =
        model.get(monthKey(dataset, expected.month)) ?? new Map<string, CanonicalRow[]>();
      const diff = differences(
        mergedMonth(dataset, previous, expected.rows),
        await storedMonth(dataset, expected.month),
      );
      if (diff.length > 0)
        problems.push(`${name}: ${diff.length} rows differ, e.g. ${diff.slice(0, 3).join('; ')}`);
    }
    expect(problems).to.deep.equal([]);
  });
});

async function readAll(stream: AsyncIterable<Buffer | string>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(c));
  return Buffer.concat(chunks);
}
