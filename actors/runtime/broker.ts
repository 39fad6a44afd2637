import { ServiceBroker, type BrokerOptions, type LogLevels, type Middleware } from 'moleculer';
import ChannelsMiddleware from '@moleculer/channels';
import type { Config } from '../../lib/config/env.js';
import { loadDefinitions, streamConfig } from '../../lib/nats/definitions.js';
import { STREAMS, subjects } from '../../lib/pipeline/subjects.js';

/**
 * @moleculer/channels' own retries, for a handler that throws: NAKed at once, then dead-lettered without
 * a reason. The importer answers every message itself (actors/importer/import-retries.ts: waits that
 * grow, a dead letter with the error), so this only catches what escapes it.
 */
export const MAX_DELIVERIES = 3;

function channelsMiddleware(config: Config): Middleware {
  const filesStream = loadDefinitions().streams.find((s) => s.name === STREAMS.files);
  if (!filesStream) throw new Error(`nats/streams.json has no ${STREAMS.files} stream`);
  const options = {
    adapter: {
      type: 'NATS',
      options: {
        // With our own stream config the adapter's "create stream" finds the declared stream unchanged.
        nats: {
          url: config.natsUrl,
          streamConfig: streamConfig(filesStream),
          // nats.js gives up after 10 attempts 2 s apart by default: after a 20-second NATS outage the
          // importers would never get a message again.
          connectionOptions: { maxReconnectAttempts: -1 },
        },
        // Subjects are fixed by nats/streams.json; the namespace separates Moleculer nodes, not streams.
        prefix: '',
        maxRetries: MAX_DELIVERIES,
        deadLettering: { enabled: true, queueName: subjects.deadLetter('importer') },
      },
    },
  };
  // The package's typings mark every option required and predate Moleculer's Middleware type.
  return ChannelsMiddleware.Middleware(options as never) as unknown as Middleware;
}

/**
 * The Moleculer broker of one EnergyLive process: NATS as transporter for actions between processes,
 * JetStream durable consumers through @moleculer/channels, JSON logs.
 */
export function createBroker(
  config: Config,
  options: { nodeID?: string; channels?: boolean } = {},
): ServiceBroker {
  const brokerOptions: BrokerOptions = {
    namespace: config.namespace,
    ...(options.nodeID ? { nodeID: options.nodeID } : {}),
    transporter: { type: 'NATS', options: { url: config.natsUrl } },
    logger: {
      type: 'Console',
      options: { formatter: 'jsonext', level: config.logLevel as LogLevels, colors: false },
    },
    logLevel: config.logLevel as LogLevels,
    requestTimeout: 120_000,
    // A process killed outright (OOM, a lost machine) says no goodbye: its peers notice only when its
    // heartbeats stop. Moleculer's 30 s default left half the gateways' queries waiting on a dead node
    // for up to a minute; at 2 s / 8 s the calls it held are rejected within seconds and retried.
    heartbeatInterval: 2,
    heartbeatTimeout: 8,
    // Retried only when the call never got an answer from a live node: the request went to a node that
    // died (rejected) or no node offered the service for a moment (a restart). Every action is safe to
    // repeat then: imports and webhooks are idempotent, reads are reads.
    retryPolicy: {
      enabled: true,
      retries: 3,
      delay: 200,
      maxDelay: 2000,
      factor: 2,
      check: (err: Error) => err.name === 'RequestRejectedError' || err.name === 'ServiceNotAvailableError',
    },
    middlewares: options.channels === false ? [] : [channelsMiddleware(config)],
    // Moleculer's own SIGTERM handler would stop the broker a second time beside `energylive start`'s,
    // and that second stop does not wait for an import in progress, then exits before the process closes
    // its connections.
    skipProcessEventRegistration: true,
  };
  return new ServiceBroker(brokerOptions);
}
