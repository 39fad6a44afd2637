/** A wrong command line: reported in one line with exit code 2, no stack trace. */
export class UsageError extends Error {}
