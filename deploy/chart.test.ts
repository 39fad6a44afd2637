import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { Ajv } from 'ajv';
import { validate as validateDockerfile } from 'dockerfile-utils';
import YAML from 'yaml';

/**
 * What can be checked of the deployment without Kubernetes or helm: the values against their schema,
 * the chart against the code it deploys (environment variables, probe paths, NATS definitions, the
 * files the image needs) and the Dockerfile against a linter.
 */
const root = path.resolve(import.meta.dirname, '..');
const chart = path.join(root, 'deploy/helm/energylive');
const read = (file: string) => fs.readFileSync(path.join(root, file), 'utf8');
const templates = fs
  .readdirSync(path.join(chart, 'templates'))
  .map((f) => fs.readFileSync(path.join(chart, 'templates', f), 'utf8'))
  .join('\n');

type Values = Record<string, unknown>;
const isMap = (v: unknown): v is Values => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Helm's merge of a values file over the chart's: maps merge key by key, anything else replaces. */
function merge(base: Values, override: Values): Values {
  const merged: Values = { ...base };
  for (const [key, value] of Object.entries(override)) {
    const current = merged[key];
    merged[key] = isMap(current) && isMap(value) ? merge(current, value) : value;
  }
  return merged;
}

const loadYaml = (file: string) => YAML.parse(read(file)) as Values;
const defaults = loadYaml('deploy/helm/energylive/values.yaml');

/**
 * Variables the code reads that the chart leaves unset on purpose: they only make sense on a workstation.
 */
const DEV_ONLY = new Set([
  // The demo publisher's FTP port, pace and months: the chart runs demo mode with its defaults, for a trial.
  'ENERGYLIVE_DEMO_FTP_PORT',
  'ENERGYLIVE_DEMO_STEP',
  'ENERGYLIVE_DEMO_MONTHS',
  // A local folder as source needs a volume shared with whoever drops files in it; clusters use FMS or FTP.
  'ENERGYLIVE_SOURCE_FOLDER',
]);

/** Every variable the services read, found the way lib/config/env.test.ts finds them. */
function variablesRead(): Set<string> {
  const source = ['lib/config/env.ts', 'lib/nats/definitions.ts'].map(read).join('\n');
  return new Set(
    [...source.matchAll(/env\.([A-Z][A-Z0-9_]+)|\(env, '([A-Z][A-Z0-9_]+)'/g)].map((m) => m[1] ?? m[2] ?? ''),
  );
}

/** Environment variables the templates set: `- name: X` entries and `(dict "name" "X" …)` secret refs. */
function variablesSet(): Set<string> {
  return new Set(
    [...templates.matchAll(/- name: ([A-Z][A-Z0-9_]+)$|\(dict "name" "([A-Z][A-Z0-9_]+)"/gm)].map(
      (m) => m[1] ?? m[2] ?? '',
    ),
  );
}

/** Relative imports reachable from the CLI entry point, as paths from the repository root. */
function runtimeFiles(): Set<string> {
  const seen = new Set<string>();
  const queue = ['bin/energylive.js', 'cli/main.ts'];
  while (queue.length > 0) {
    const file = queue.pop() ?? '';
    if (seen.has(file)) continue;
    seen.add(file);
    const text = read(file);
    for (const m of text.matchAll(/(?:from |import\()'(\.{1,2}\/[^']+)'/g)) {
      const target = path.relative(root, path.resolve(root, path.dirname(file), m[1] ?? ''));
      queue.push(target.replace(/\.js$/, '.ts'));
    }
  }
  return seen;
}

describe('deployment', () => {
  describe('values', () => {
    const schema = JSON.parse(read('deploy/helm/energylive/values.schema.json')) as object;
    // Union types ("500m" or 1) are how Kubernetes quantities are written.
    const validator = new Ajv({ allErrors: true, allowUnionTypes: true, strictRequired: false }).compile(
      schema,
    );
    const errors = () => JSON.stringify(validator.errors, null, 2);

    it('the chart defaults satisfy values.schema.json', () => {
      expect(validator(defaults), errors()).to.equal(true);
    });

    it('the production example, merged over the defaults as helm does, satisfies it', () => {
      const example = merge(defaults, loadYaml('deploy/values-example.yaml'));
      expect(validator(example), errors()).to.equal(true);
      expect(example).to.nested.include({
        'source.kind': 'fms',
        'jetstream.replicas': 3,
        'nats.config.cluster.replicas': 3,
      });
    });

    it('rejects a wrong type, an unknown setting and a secret written in clear', () => {
      const broken = [
        merge(defaults, { components: { gateway: { replicas: 'three' } } }),
        merge(defaults, { jetstream: { replicas: 7 } }),
        merge(defaults, { clickhouse: { urll: 'http://clickhouse:8123' } }),
        merge(defaults, { stripe: { secretKey: 'sk_live_…' } }),
        merge(defaults, { source: { kind: 'folder' } }),
      ];
      for (const values of broken) expect(validator(values), JSON.stringify(values)).to.equal(false);
    });
  });

  describe('chart', () => {
    it('sets every variable the services read, except the listed development-only ones', () => {
      const read = variablesRead();
      expect(read.size).to.be.greaterThan(30);
      const set = variablesSet();
      const missing = [...read].filter((name) => !set.has(name) && !DEV_ONLY.has(name));
      expect(missing, 'variables the chart does not set').to.deep.equal([]);
      for (const name of DEV_ONLY) expect(read, `${name} is no longer read`).to.include(name);
    });

    it('sets no variable the services do not read', () => {
      const read = variablesRead();
      expect([...variablesSet()].filter((name) => !read.has(name))).to.deep.equal([]);
    });

    it('probes only paths the health server and the gateway answer, on the port that answers them', () => {
      const health = new Set(
        [...read('actors/runtime/health-server.ts').matchAll(/url === '(\/[^']*)'/g)].map((m) => m[1]),
      );
      const gateway = new Set(
        [...read('gateway/routes/ops-routes.ts').matchAll(/router\.get\('(\/[^']*)'/g)].map((m) => m[1]),
      );
      // Probes (path, then port) and the PodMonitor's endpoint (port, then path).
      const probes = [
        ...templates.matchAll(/^\s*path: (\S+)\n\s*port: (\S+)$|^\s*- port: (\S+)\n\s*path: (\S+)$/gm),
      ].map((m) => ({ path: m[1] ?? m[4] ?? '', port: m[2] ?? m[3] ?? '' }));
      expect(probes).to.have.length(5);
      expect(probes).to.deep.include({ path: '/readyz', port: 'http' });
      expect(probes).to.deep.include({ path: '/readyz', port: 'health' });
      for (const probe of probes) {
        const served = probe.port === 'http' ? gateway : health;
        expect([...served], `${probe.path} on port ${probe.port}`).to.include(probe.path);
      }
      // Prometheus' annotations name the health port's metrics too.
      expect(templates).to.contain('prometheus.io/path: /metrics');
      expect([...health]).to.include('/metrics');
    });

    it('carries the NATS definitions byte for byte as the code reads them from nats/', () => {
      const copies = path.join(chart, 'files/nats');
      const definitions = fs.readdirSync(path.join(root, 'nats')).filter((f) => f.endsWith('.json'));
      expect(fs.readdirSync(copies).sort()).to.deep.equal(definitions.sort());
      for (const file of definitions) {
        const copy = fs.readFileSync(path.join(copies, file));
        expect(
          copy.equals(fs.readFileSync(path.join(root, 'nats', file))),
          `${file} differs from nats/${file}`,
        ).to.be.true;
      }
    });

    it('migrates with the code itself: the Job runs `energylive migrate`, the chart holds no DDL', () => {
      expect(templates).to.match(/args: \['migrate'\]/);
      expect(templates).to.match(/helm\.sh\/hook: \{\{ \$hook \}\}/);
      expect(templates).not.to.match(/CREATE TABLE|ENGINE\s*=/i);
      expect(read('cli/main.ts')).to.match(/migrate: runMigrate/);
    });

    it('writes no secret value: every secret setting is a secretKeyRef to an existing Secret', () => {
      for (const name of [
        'DATABASE_URL',
        'STRIPE_SECRET_KEY',
        'STRIPE_WEBHOOK_SECRET',
        'GOOGLE_CLIENT_SECRET',
      ]) {
        expect(templates, name).to.contain(`(dict "name" "${name}" "secret"`);
        expect(templates, name).not.to.match(new RegExp(`- name: ${name}\\s*\\n\\s*value:`));
      }
      expect(templates).not.to.match(/kind: Secret\b/);
    });
  });

  describe('container image', () => {
    const dockerfile = read('Dockerfile');

    it('passes the Dockerfile linter with no error or warning', () => {
      expect(validateDockerfile(dockerfile)).to.deep.equal([]);
      // The linter does report what it should: a stage with no image.
      expect(validateDockerfile('FROM\n')).to.have.length.greaterThan(0);
    });

    it('runs as a non-root user with a health check, the CLI as entry point and `start` by default', () => {
      const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
      expect(runtime).to.match(/^USER 1000:1000$/m);
      expect(runtime).to.match(/^HEALTHCHECK .*\n.*\/healthz/m);
      expect(runtime).to.match(/^ENTRYPOINT \["node", "bin\/energylive\.js"\]$/m);
      expect(runtime).to.match(/^CMD \["start"\]$/m);
    });

    it('copies every source file the CLI loads, and the build context keeps them', () => {
      const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
      const copied = new Set(
        [...runtime.matchAll(/^COPY (?:--from=\S+ )?\S+ \.\/(\S+)$/gm)].map((m) => m[1]),
      );
      const ignored = read('.dockerignore')
        .split('\n')
        .filter((l) => l && !l.startsWith('#'));
      const files = runtimeFiles();
      expect(files.size).to.be.greaterThan(100);
      for (const file of files) {
        expect(copied, file).to.include(file.split('/')[0]);
        expect(file, 'left out by .dockerignore').not.to.match(/(^|\/)testing\/|\.test\.ts$/);
        expect(ignored, file).not.to.include(file.split('/')[0]);
      }
      expect(copied).to.include('dashboard/dist').and.to.include('nats');
    });
  });
});
