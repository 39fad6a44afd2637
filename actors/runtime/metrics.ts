import { Counter, Histogram, Registry } from 'prom-client';

const SECONDS = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120];

/** What an operator watches in the pipeline, served on `/metrics` with the process's default metrics. */
export class PipelineMetrics {
  readonly registry = new Registry();
  readonly files = new Counter({
    name: 'energylive_parser_files_total',
    help: 'Source files handled by parsers, by outcome (published, duplicate, empty, dead_lettered)',
    labelNames: ['dataset', 'outcome'],
    registers: [this.registry],
  });
  readonly rows = new Counter({
    name: 'energylive_parser_rows_total',
    help: 'Rows accepted by parsers',
    labelNames: ['dataset'],
    registers: [this.registry],
  });
  readonly rejectedRows = new Counter({
    name: 'energylive_parser_rejected_rows_total',
    help: 'Rows left out by parsers, by reason',
    labelNames: ['dataset', 'reason'],
    registers: [this.registry],
  });
  readonly parseSeconds = new Histogram({
    name: 'energylive_parser_file_seconds',
    help: 'Time to parse, compress, store and publish one file',
    labelNames: ['dataset'],
    buckets: SECONDS,
    registers: [this.registry],
  });
  readonly imports = new Counter({
    name: 'energylive_importer_imports_total',
    help: 'File-ready messages handled by importers, by outcome (imported, unchanged, dead_lettered, failed)',
    labelNames: ['dataset', 'outcome'],
    registers: [this.registry],
  });
  readonly changedPoints = new Counter({
    name: 'energylive_importer_changed_points_total',
    help: 'Values new or corrected by imports',
    labelNames: ['dataset'],
    registers: [this.registry],
  });
  readonly importSeconds = new Histogram({
    name: 'energylive_importer_import_seconds',
    help: 'Time to import one month, from message to "import done"',
    labelNames: ['dataset'],
    buckets: SECONDS,
    registers: [this.registry],
  });
}
