import type { NatsConnection } from 'nats';
import type { Config } from '../../lib/config/env.js';
import { createBroker } from '../../actors/runtime/broker.js';
import type { ImportSummary } from '../../actors/query/query.service.js';
import type { DeadLetter, ImportDone, ImportFailed } from '../../lib/pipeline/messages.js';
import { STREAMS, subjects } from '../../lib/pipeline/subjects.js';
import { deadLetteredMonths } from './dead-lettered-months.js';
import { formatBytes } from '../progress.js';
import { connectNats } from './nats.js';

const DEAD_LETTERS_SHOWN = 10;

async function deadLetters(
  nc: NatsConnection,
  total: number,
  firstSeq: number,
  lastSeq: number,
): Promise<string[]> {
  const jsm = await nc.jetstreamManager();
  const lines: string[] = [];
  for (let seq = lastSeq; seq >= firstSeq && lines.length < Math.min(total, DEAD_LETTERS_SHOWN); seq--) {
    try {
      const m = await jsm.streams.getMessage(STREAMS.deadLetter, { seq });
      let d: Partial<DeadLetter>;
      try {
        d = m.json<DeadLetter>();
      } catch {
        d = { reason: 'unreadable', message: `${m.data.length} bytes` };
      }
      // Set by @moleculer/channels when it dead-letters a message whose retries ran out.
      const origin = m.header.get('x-original-channel');
      const what =
        d.stage === 'importer' && d.month
          ? `${d.dataset ?? ''} ${d.month}`
          : (d.file?.name ?? d.month ?? origin);
      const tries = d.attempts ? ` after ${d.attempts} attempts` : '';
      lines.push(
        `  ${m.time.toISOString()}  ${m.subject}  ${d.reason ?? (origin ? 'retries exhausted' : '?')}${tries}  ${what}  ${d.message ?? ''}`,
      );
    } catch {
      // A message removed by retention between the listing and the read.
    }
  }
  return lines;
}

/** The imports whose last attempt failed and that are tried again: the error and when. */
async function failingImports(nc: NatsConnection): Promise<string[]> {
  const jsm = await nc.jetstreamManager();
  const info = await jsm.streams.info(STREAMS.importFailures, { subjects_filter: subjects.importFailedAll });
  const lines: string[] = [];
  for (const subject of Object.keys(info.state.subjects ?? {}).sort()) {
    const failure = await jsm.streams
      .getMessage(STREAMS.importFailures, { last_by_subj: subject })
      .then((m) => m.json<ImportFailed>())
      .catch(() => null);
    if (!failure || failure.retryInSeconds === null) continue;
    const done = await jsm.streams
      .getMessage(STREAMS.imports, { last_by_subj: subjects.importDone(failure.dataset, failure.month) })
      .then((m) => m.json<ImportDone>())
      .catch(() => null);
    if (done && done.importedAt > failure.at) continue;
    lines.push(
      `  ${failure.dataset.padEnd(10)} ${failure.month}  attempt ${failure.attempt} of ${failure.attempts} failed ${failure.at}, next after ${failure.retryInSeconds} s: ${failure.error}`,
    );
  }
  return lines;
}

/** `energylive status`: what JetStream holds and what the importers did, for an operator. */
export async function runStatus(_args: string[], config: Config): Promise<number> {
  const nc = await connectNats(config);
  const out: string[] = [];
  try {
    const jsm = await nc.jetstreamManager();
    out.push('Streams');
    for (const name of Object.values(STREAMS)) {
      const info = await jsm.streams.info(name);
      out.push(
        `  ${name.padEnd(24)} ${String(info.state.messages).padStart(8)} messages  ${formatBytes(info.state.bytes).padStart(10)}`,
      );
    }
    out.push('Consumers');
    for await (const c of jsm.consumers.list(STREAMS.files)) {
      out.push(
        `  ${c.name.padEnd(24)} pending ${String(c.num_pending).padStart(5)}  in progress ${String(c.num_ack_pending).padStart(3)}  redelivered ${String(c.num_redelivered).padStart(3)}  delivered ${c.delivered.stream_seq}`,
      );
    }
    const dl = await jsm.streams.info(STREAMS.deadLetter);
    out.push(`Dead letters: ${dl.state.messages}`);
    out.push(...(await deadLetters(nc, dl.state.messages, dl.state.first_seq, dl.state.last_seq)));
    const waiting = await deadLetteredMonths(nc);
    if (waiting.length > 0)
      out.push(
        `Dead-lettered imports not imported since: ${waiting.map((w) => `${w.dataset} ${w.month}`).join(', ')}; once the cause is fixed: energylive replay --dead-lettered`,
      );
    const failing = await failingImports(nc);
    if (failing.length > 0) out.push('Imports failing, tried again', ...failing);
  } finally {
    await nc.drain();
  }

  const broker = createBroker({ ...config, logLevel: 'warn' }, { channels: false });
  await broker.start();
  let code = 0;
  try {
    await broker.waitForServices(['query'], 5000).then(
      async () => {
        const imports = await broker.call<ImportSummary[]>('query.imports');
        out.push('Last import per dataset and month');
        for (const i of imports) {
          out.push(
            `  ${i.dataset.padEnd(10)} ${i.month}  ${i.imported_at}  ${String(i.rows).padStart(9)} rows  ${String(i.changed_points).padStart(9)} changed  ${i.imports} versions  ${i.file_name}`,
          );
        }
      },
      () => {
        out.push('Last imports: no query actor answers (start EnergyLive to see them)');
      },
    );
  } catch (err) {
    // A query actor answered, with an error: what it says is what the operator needs.
    out.push(`Last imports: the query actor failed: ${err instanceof Error ? err.message : String(err)}`);
    code = 1;
  } finally {
    await broker.stop();
  }
  process.stdout.write(`${out.join('\n')}\n`);
  return code;
}
