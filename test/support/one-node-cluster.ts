import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import type * as Chdb from 'chdb';
import { openClickHouse, type ClickHouse } from '../../lib/clickhouse/connection.js';

const require = createRequire(import.meta.url);

export interface OneNodeCluster {
  /** Connected as the importer would be to a node of the cluster. */
  ch: ClickHouse;
  /** Every statement sent through `ch.client`, as the code wrote it. */
  statements: string[];
  /** Whether ClickHouse's parser takes `sql` as one statement. */
  parses(sql: string): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * Embedded ClickHouse as the one node of a cluster named `cluster`: a configuration with one shard of one
 * replica, this process, so Distributed tables write and read here. chdb has neither Keeper nor the
 * distributed DDL queue, so statements go on with what only those add taken out: `ON CLUSTER` (the one
 * node runs the statement anyway), the Keeper path of a Replicated engine (one replica has nothing to
 * replicate to) and `SYSTEM SYNC REPLICA` (nothing to wait for). The rest, the Distributed tables, the
 * `_local` tables and every partition move between them, is ClickHouse's own doing.
 */
export function oneNodeCluster(dir: string, database: string, cluster: string): OneNodeCluster {
  const dataDir = path.join(dir, 'clickhouse');
  fs.mkdirSync(dataDir, { recursive: true });
  const config = path.join(dir, 'cluster.xml');
  // tcp_port is never listened on: it only tells ClickHouse that localhost:9000 is this node.
  fs.writeFileSync(
    config,
    `<clickhouse><tcp_port>9000</tcp_port><remote_servers><${cluster}><shard><internal_replication>true</internal_replication>` +
      `<replica><host>localhost</host><port>9000</port></replica></shard></${cluster}></remote_servers></clickhouse>`,
  );
  // The first connection to a data directory starts its engine; later ones share it and its configuration.
  const { Session } = require('chdb') as typeof Chdb;
  const session = new Session(dataDir, { connectionArgs: [`--config-file=${config}`] });
  const embedded = openClickHouse({ url: undefined, database, embeddedPath: dataDir });
  const statements: string[] = [];
  const onCluster = new RegExp(` ON CLUSTER ${cluster}\\b`, 'g');
  const adapt = (sql: string) => {
    statements.push(sql);
    if (sql.startsWith('SYSTEM SYNC REPLICA')) return 'SELECT 1';
    return sql.replace(onCluster, '').replace(/Replicated(\w*MergeTree)\('[^']*', '[^']*'\)/g, '$1()');
  };
  const client = embedded.client;
  const adapted = new Proxy(client, {
    get(target, property, receiver) {
      if (property === 'command' || property === 'query') {
        const method = target[property].bind(target) as (params: { query: string }) => unknown;
        return (params: { query: string }) => method({ ...params, query: adapt(params.query) });
      }
      return Reflect.get(target, property, receiver) as unknown;
    },
  });
  return {
    ch: { ...embedded, client: adapted },
    statements,
    async parses(sql) {
      try {
        const result = await client.query({
          query: 'SELECT formatQuery({sql:String}) AS formatted',
          query_params: { sql },
          format: 'JSONEachRow',
        });
        await result.json();
        return true;
      } catch {
        return false;
      }
    },
    async close() {
      await embedded.close();
      session.close();
    },
  };
}
