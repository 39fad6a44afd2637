import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../config/env.js';
import {
  AckPolicy,
  DeliverPolicy,
  DiscardPolicy,
  RetentionPolicy,
  StorageType,
  type ConsumerConfig,
  type JetStreamManager,
  type NatsConnection,
  type StreamConfig,
} from 'nats';

/** The declarative NATS definitions under `nats/`, the same files the Helm chart's Job applies. */
export const DEFINITIONS_DIR = fileURLToPath(new URL('../../nats/', import.meta.url));

/** `ENERGYLIVE_NATS_DEFINITIONS` points at another copy of the files, e.g. a mounted ConfigMap. */
export function definitionsDir(env: Record<string, string | undefined> = process.env): string {
  return env.ENERGYLIVE_NATS_DEFINITIONS ?? DEFINITIONS_DIR;
}

interface StreamDefinition {
  name: string;
  description?: string;
  subjects: string[];
  retention: 'limits' | 'interest' | 'workqueue';
  storage: 'file' | 'memory';
  discard: 'old' | 'new';
  max_msgs_per_subject?: number;
  max_msg_size?: number;
  max_age_seconds?: number;
  duplicate_window_seconds?: number;
  num_replicas: number;
}

interface ConsumerDefinition {
  stream: string;
  durable_name: string;
  description?: string;
  filter_subject: string;
  deliver_subject: string;
  deliver_group: string;
  deliver_policy: 'all' | 'new' | 'last_per_subject';
  ack_policy: 'explicit';
  ack_wait_seconds: number;
  max_ack_pending: number;
}

export interface BucketDefinitions {
  objectStores: { bucket: string; description: string; storage: 'file' | 'memory'; replicas: number }[];
  keyValues: {
    bucket: string;
    description: string;
    history: number;
    storage: 'file' | 'memory';
    replicas: number;
  }[];
}

export interface Definitions {
  streams: StreamDefinition[];
  consumers: ConsumerDefinition[];
  buckets: BucketDefinitions;
}

const NANOS = 1_000_000_000;
const RETENTION = {
  limits: RetentionPolicy.Limits,
  interest: RetentionPolicy.Interest,
  workqueue: RetentionPolicy.Workqueue,
};
const STORAGE = { file: StorageType.File, memory: StorageType.Memory };
const DISCARD = { old: DiscardPolicy.Old, new: DiscardPolicy.New };
const DELIVER = {
  all: DeliverPolicy.All,
  new: DeliverPolicy.New,
  last_per_subject: DeliverPolicy.LastPerSubject,
};

function readJson(dir: string, name: string): unknown {
  return JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8'));
}

/**
 * `ENERGYLIVE_NATS_REPLICAS` replaces the replicas of every stream and bucket, so one set of files serves
 * a single server (the files say 1) and a cluster (e.g. 3); unset keeps what the files say.
 */
export function replicasOverride(env: Record<string, string | undefined> = process.env): number | undefined {
  const raw = env.ENERGYLIVE_NATS_REPLICAS;
  if (raw === undefined || raw === '') return undefined;
  const replicas = Number(raw);
  // JetStream replicates a stream to at most 5 servers.
  if (!Number.isInteger(replicas) || replicas < 1 || replicas > 5)
    throw new ConfigError('ENERGYLIVE_NATS_REPLICAS', `expected a whole number from 1 to 5, got "${raw}"`);
  return replicas;
}

export function loadDefinitions(
  dir = definitionsDir(),
  env: Record<string, string | undefined> = process.env,
): Definitions {
  const streams = readJson(dir, 'streams.json') as StreamDefinition[];
  const consumers = readJson(dir, 'consumers.json') as ConsumerDefinition[];
  const buckets = readJson(dir, 'buckets.json') as BucketDefinitions;
  const replicas = replicasOverride(env);
  if (replicas === undefined) return { streams, consumers, buckets };
  return {
    streams: streams.map((s) => ({ ...s, num_replicas: replicas })),
    consumers,
    buckets: {
      objectStores: buckets.objectStores.map((b) => ({ ...b, replicas })),
      keyValues: buckets.keyValues.map((b) => ({ ...b, replicas })),
    },
  };
}

export function streamConfig(d: StreamDefinition): Partial<StreamConfig> & { name: string } {
  return {
    name: d.name,
    ...(d.description ? { description: d.description } : {}),
    subjects: d.subjects,
    retention: RETENTION[d.retention],
    storage: STORAGE[d.storage],
    discard: DISCARD[d.discard],
    max_msgs_per_subject: d.max_msgs_per_subject ?? -1,
    max_msg_size: d.max_msg_size ?? -1,
    max_age: (d.max_age_seconds ?? 0) * NANOS,
    duplicate_window: (d.duplicate_window_seconds ?? 120) * NANOS,
    num_replicas: d.num_replicas,
  };
}

export function consumerConfig(d: ConsumerDefinition): Partial<ConsumerConfig> & { durable_name: string } {
  return {
    durable_name: d.durable_name,
    ...(d.description ? { description: d.description } : {}),
    filter_subject: d.filter_subject,
    // Push consumers with a deliver group are what @moleculer/channels binds to; nats.js marks them legacy.
    // eslint-disable-next-line @typescript-eslint/no-deprecated
    deliver_subject: d.deliver_subject,
    // eslint-disable-next-line @typescript-eslint/no-deprecated
    deliver_group: d.deliver_group,
    deliver_policy: DELIVER[d.deliver_policy],
    ack_policy: AckPolicy.Explicit,
    ack_wait: d.ack_wait_seconds * NANOS,
    max_ack_pending: d.max_ack_pending,
  };
}

async function exists(probe: () => Promise<unknown>): Promise<boolean> {
  try {
    await probe();
    return true;
  } catch (err) {
    if (err instanceof Error && /not found/i.test(err.message)) return false;
    throw err;
  }
}

/**
 * Creates what is missing and brings what exists in line with the files, so running it at every start
 * (and from the Helm Job) is safe. Fields NATS cannot change in place, such as a stream's storage type,
 * make it fail loudly instead of silently keeping the old setting.
 */
export async function applyDefinitions(nc: NatsConnection, definitions = loadDefinitions()): Promise<void> {
  const jsm: JetStreamManager = await nc.jetstreamManager();
  for (const d of definitions.streams) {
    const config = streamConfig(d);
    if (await exists(() => jsm.streams.info(d.name))) await jsm.streams.update(d.name, config);
    else await jsm.streams.add(config);
  }
  for (const d of definitions.consumers) {
    const config = consumerConfig(d);
    if (await exists(() => jsm.consumers.info(d.stream, d.durable_name))) {
      await jsm.consumers.update(d.stream, d.durable_name, config);
    } else await jsm.consumers.add(d.stream, config);
  }
  const js = nc.jetstream();
  for (const b of definitions.buckets.objectStores) {
    await js.views.os(b.bucket, {
      description: b.description,
      storage: STORAGE[b.storage],
      replicas: b.replicas,
    });
    await keepReplicas(jsm, `OBJ_${b.bucket}`, b.replicas);
  }
  for (const b of definitions.buckets.keyValues) {
    await js.views.kv(b.bucket, {
      description: b.description,
      history: b.history,
      storage: STORAGE[b.storage],
      replicas: b.replicas,
    });
    await keepReplicas(jsm, `KV_${b.bucket}`, b.replicas);
  }
}

/** nats.js opens an existing bucket as it is, so a changed replica count is applied to its stream here. */
async function keepReplicas(jsm: JetStreamManager, stream: string, replicas: number): Promise<void> {
  const { config } = await jsm.streams.info(stream);
  if (config.num_replicas !== replicas)
    await jsm.streams.update(stream, { ...config, num_replicas: replicas });
}
