/**
 * A batch read ahead of its use (verification, export): marked handled at once, so that if
 * the caller stops early (an error while writing the current batch) a failure of the read
 * ahead does not end the process as an unhandled rejection. Awaiting it still throws.
 */
export function handled<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}
