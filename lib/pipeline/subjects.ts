import type { DatasetName } from '../config/env.js';

/** JetStream subjects. One subject per dataset and month, so JetStream keeps the latest versions of each. */
export const subjects = {
  fileReady: (dataset: DatasetName, month: string) => `energylive.files.${dataset}.${month}`,
  fileReadyAll: (dataset: DatasetName) => `energylive.files.${dataset}.*`,
  importDone: (dataset: DatasetName, month: string) => `energylive.imports.${dataset}.${month}`,
  importDoneAll: 'energylive.imports.>',
  /** Every failed attempt at an import, so that a waiting operator learns it at once. */
  importFailed: (dataset: DatasetName, month: string) => `energylive.importfailed.${dataset}.${month}`,
  importFailedAll: 'energylive.importfailed.>',
  deadLetter: (stage: 'parser' | 'importer') => `energylive.deadletter.${stage}`,
  deadLetterAll: 'energylive.deadletter.>',
};

export const STREAMS = {
  files: 'ENERGYLIVE_FILES',
  imports: 'ENERGYLIVE_IMPORTS',
  importFailures: 'ENERGYLIVE_IMPORT_FAILURES',
  deadLetter: 'ENERGYLIVE_DEADLETTER',
};
export const BUCKETS = { files: 'energylive-files', sources: 'energylive-sources' };
export const importerConsumer = (dataset: DatasetName) => `importer-${dataset}`;
