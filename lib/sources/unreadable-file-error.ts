/**
 * A file whose bytes could not be read: an archive that does not open or breaks while it is unpacked, a
 * read error. It may be a file still being written, so it is tried again a few times while its version
 * stays the same before it goes to the dead letters.
 */
export class UnreadableFileError extends Error {
  override readonly name = 'UnreadableFileError';
}
