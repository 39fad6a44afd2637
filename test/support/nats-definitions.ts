import fs from 'node:fs';
import path from 'node:path';
import { DEFINITIONS_DIR } from '../../lib/nats/definitions.js';

/**
 * A copy of the NATS definitions in `dir` (for ENERGYLIVE_NATS_DEFINITIONS) whose consumers wait only
 * `ackWaitSeconds` for an acknowledgement, so the message of a killed importer comes back within seconds.
 */
export function definitionsWithAckWait(dir: string, ackWaitSeconds: number): string {
  fs.mkdirSync(dir, { recursive: true });
  for (const f of fs.readdirSync(DEFINITIONS_DIR))
    fs.copyFileSync(path.join(DEFINITIONS_DIR, f), path.join(dir, f));
  const file = path.join(dir, 'consumers.json');
  const consumers = JSON.parse(fs.readFileSync(file, 'utf8')) as { ack_wait_seconds: number }[];
  for (const c of consumers) c.ack_wait_seconds = ackWaitSeconds;
  fs.writeFileSync(file, JSON.stringify(consumers));
  return dir;
}
