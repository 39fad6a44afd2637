import { expect } from 'chai';
import { ConfigError } from '../config/env.js';
import { DEFINITIONS_DIR, loadDefinitions } from './definitions.js';

describe('NATS definitions', () => {
  it('keeps the replicas the files declare when ENERGYLIVE_NATS_REPLICAS is unset', () => {
    const definitions = loadDefinitions(DEFINITIONS_DIR, {});
    expect(definitions.streams.map((s) => s.num_replicas)).to.deep.equal([1, 1, 1, 1]);
    expect(definitions.buckets.objectStores.map((b) => b.replicas)).to.deep.equal([1]);
    expect(definitions.buckets.keyValues.map((b) => b.replicas)).to.deep.equal([1]);
  });

  it('sets every stream and bucket to ENERGYLIVE_NATS_REPLICAS and leaves the rest as declared', () => {
    const declared = loadDefinitions(DEFINITIONS_DIR, {});
    const definitions = loadDefinitions(DEFINITIONS_DIR, { ENERGYLIVE_NATS_REPLICAS: '3' });
    expect(definitions.streams.map((s) => s.num_replicas)).to.deep.equal([3, 3, 3, 3]);
    expect(definitions.buckets.objectStores.map((b) => b.replicas)).to.deep.equal([3]);
    expect(definitions.buckets.keyValues.map((b) => b.replicas)).to.deep.equal([3]);
    expect(definitions.streams.map((s) => ({ ...s, num_replicas: 1 }))).to.deep.equal(declared.streams);
    expect(definitions.consumers).to.deep.equal(declared.consumers);
  });

  it('rejects a replica count JetStream cannot have, naming the variable', () => {
    for (const raw of ['0', '6', 'three', '2.5']) {
      expect(() => loadDefinitions(DEFINITIONS_DIR, { ENERGYLIVE_NATS_REPLICAS: raw }))
        .to.throw(ConfigError)
        .with.property('variable', 'ENERGYLIVE_NATS_REPLICAS');
    }
  });
});
