/**
 * A file that will fail the same way however often it is retried, such as a ZIP without a CSV in it.
 * The poller records its version so that it is skipped until the file changes, instead of being
 * retried on every poll.
 */
export class PermanentFileError extends Error {
  override readonly name = 'PermanentFileError';
}
