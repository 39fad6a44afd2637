import { Events, type NatsConnection } from 'nats';

export interface StatusLogger {
  info(o: object): void;
  warn(o: object): void;
}

/**
 * Logs each time a NATS connection is lost and each time it is back, once per change rather than once
 * per reconnection attempt, until the connection is closed. `connection` tells the process's own
 * connection from the broker's (transporter, channels), which come and go on their own.
 */
export function logNatsStatus(nc: NatsConnection, connection: string, logger: StatusLogger): void {
  void (async () => {
    let connected = true;
    for await (const s of nc.status()) {
      if (s.type === Events.Disconnect && connected) {
        connected = false;
        logger.warn({
          event: 'nats_disconnected',
          connection,
          server: typeof s.data === 'string' ? s.data : undefined,
        });
      } else if (s.type === Events.Reconnect && !connected) {
        connected = true;
        logger.info({
          event: 'nats_reconnected',
          connection,
          server: typeof s.data === 'string' ? s.data : undefined,
        });
      }
    }
  })();
}
