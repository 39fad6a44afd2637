import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { ConfigError, loadConfig } from './env.js';

describe('loadConfig', () => {
  it('runs on safe defaults with nothing set: embedded ClickHouse, local NATS, demo source', () => {
    const config = loadConfig({});
    expect(config.dataDir).to.equal(path.resolve('./data'));
    expect(config.natsUrl).to.equal('nats://127.0.0.1:4222');
    expect(config.clickhouse).to.deep.equal({ url: undefined, database: 'energylive', cluster: undefined });
    expect(config.source).to.deep.equal({ kind: 'demo' });
    expect(config.datasets).to.deep.equal(['load', 'generation', 'flows']);
    expect(config.healthPort).to.equal(9464);
  });

  it('picks the File Library when its credentials are set, and FTP when only an FTP URL is', () => {
    expect(loadConfig({ ENTSOE_FMS_USERNAME: 'u', ENTSOE_FMS_PASSWORD: 'p' }).source).to.include({
      kind: 'fms',
      apiUrl: 'https://fms.tp.entsoe.eu',
    });
    expect(loadConfig({ ENERGYLIVE_FTP_URL: 'ftps://u:p@host/TP_export' }).source).to.deep.equal({
      kind: 'ftp',
      url: 'ftps://u:p@host/TP_export',
    });
  });

  it('names the variable in every error', () => {
    const cases: [Record<string, string>, string][] = [
      [{ ENERGYLIVE_SOURCE: 'folder' }, 'ENERGYLIVE_SOURCE_FOLDER'],
      [{ ENERGYLIVE_SOURCE: 'smoke-signals' }, 'ENERGYLIVE_SOURCE'],
      [{ ENERGYLIVE_FTP_URL: 'http://x', ENERGYLIVE_SOURCE: 'ftp' }, 'ENERGYLIVE_FTP_URL'],
      [{ ENERGYLIVE_POLL_INTERVAL: '-3' }, 'ENERGYLIVE_POLL_INTERVAL'],
      [{ ENERGYLIVE_DATASETS: 'load,prices' }, 'ENERGYLIVE_DATASETS'],
      [{ ENERGYLIVE_HEALTH_PORT: '70000' }, 'ENERGYLIVE_HEALTH_PORT'],
      [{ ENERGYLIVE_IMPORT_RETRY_DELAYS: '15,0,60' }, 'ENERGYLIVE_IMPORT_RETRY_DELAYS'],
      [{ ENERGYLIVE_IMPORT_RETRY_DELAYS: '15,,60' }, 'ENERGYLIVE_IMPORT_RETRY_DELAYS'],
    ];
    for (const [env, variable] of cases) {
      expect(() => loadConfig(env))
        .to.throw(ConfigError)
        .with.property('variable', variable);
    }
  });

  it('backs off failed imports over minutes unless told otherwise', () => {
    expect(loadConfig({}).importRetryDelaysMs).to.deep.equal([
      15_000, 30_000, 60_000, 120_000, 300_000, 600_000,
    ]);
    expect(loadConfig({ ENERGYLIVE_IMPORT_RETRY_DELAYS: '0.5, 2' }).importRetryDelaysMs).to.deep.equal([
      500, 2000,
    ]);
  });

  it('turns the health endpoint off with "off"', () => {
    expect(loadConfig({ ENERGYLIVE_HEALTH_PORT: 'off' }).healthPort).to.equal(null);
  });

  it('reads only variables that the README and .env.example document', () => {
    const root = path.resolve(import.meta.dirname, '../..');
    const source = ['lib/config/env.ts', 'lib/nats/definitions.ts']
      .map((f) => fs.readFileSync(path.join(root, f), 'utf8'))
      .join('\n');
    const read = new Set(
      [...source.matchAll(/env\.([A-Z][A-Z0-9_]+)|\(env, '([A-Z][A-Z0-9_]+)'/g)].map(
        (m) => m[1] ?? m[2] ?? '',
      ),
    );
    expect(read.size).to.be.greaterThan(30);
    const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
    const example = fs.readFileSync(path.join(root, '.env.example'), 'utf8');
    for (const name of read) {
      expect(readme, `README.md lacks ${name}`).to.contain(`\`${name}\``);
      expect(example, `.env.example lacks ${name}`).to.match(new RegExp(`^# ${name}=`, 'm'));
    }
  });

  it('turns subscriptions and Google sign-in off, not the app, when their keys are unset', () => {
    const config = loadConfig({});
    expect(config.billing.stripeSecretKey).to.equal(undefined);
    expect(config.google.clientId).to.equal(undefined);
    expect(config.accounts).to.include({ databaseUrl: undefined, publicUrl: 'http://localhost:8080' });
    expect(() => loadConfig({ ENERGYLIVE_PUBLIC_URL: 'ftp://x' }))
      .to.throw(ConfigError)
      .with.property('variable', 'ENERGYLIVE_PUBLIC_URL');
  });
});
