import type { DatasetName } from '../config/env.js';

/** JetStream subjects. One subject per dataset and month, so JetStream keeps the latest versions of each. */
export const subjects = {
  fileReady: (dataset: DatasetName, month: string) => `energylive.files.${dataset}.${month}`,
  fileReadyAll: (dataset: DatasetName) => `energylive.files.${dataset}.*`,
  importDone: (dataset: DatasetName, month: string) => `energylive.imports.${dataset}.${month}`,
  importDoneAll: 'energylive.imports.>',
  deadLetter: (stage: 'parser' | 'importer') => `energylive.deadletter.${stage}`,
  deadLetterAll: 'energylive.deadletter.>',
};

export const STREAMS = {
  files: 'ENERGYLIVE_FILES',
  imports: 'ENERGYLIVE_IMPORTS',
  deadLetter: 'ENERGYLIVE_DEADLETTER',
};
export const BUCKETS = { files: 'energylive-files', sources: 'energylive-sources' };
export const importerConsumer = (dataset: DatasetName) => `importer-${dataset}`;
