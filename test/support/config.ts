import { loadConfig, type Config } from '../../lib/config/env.js';

/** Configuration for a test: embedded ClickHouse in `dataDir`, the test's own NATS, a unique namespace. */
export function testConfig(natsUrl: string, dataDir: string, env: Record<string, string> = {}): Config {
  return loadConfig({
    ENERGYLIVE_DATA_DIR: dataDir,
    NATS_URL: natsUrl,
    ENERGYLIVE_NAMESPACE: `test-${process.pid}-${Date.now()}`,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
    ...env,
  });
}
