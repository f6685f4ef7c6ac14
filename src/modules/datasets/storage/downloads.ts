import { randomUUID } from 'node:crypto';
import { mkdir, open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';

/**
 * A read stream of `path` opened before it returns, so it stays readable if the file is then
 * deleted (an LRU eviction, or the caller removing a temporary file at once).
 */
export async function openReadStream(path: string): Promise<Readable> {
  const handle = await open(path, 'r');
  return handle.createReadStream(); // closes the handle at the end or on error
}

/**
 * Writes a temporary file with `write` and returns a stream of it; the file is unlinked as soon
 * as it is open, so nothing is left behind however the download ends.
 */
export async function temporaryFileStream(
  directory: string,
  extension: string,
  write: (path: string) => Promise<void>,
): Promise<Readable> {
  await mkdir(directory, { recursive: true });
  const path = join(directory, `${randomUUID()}.${extension}`);
  try {
    await write(path);
    return await openReadStream(path);
  } finally {
    await rm(path, { force: true });
  }
}

/**
 * A Content-Disposition value for `fileName`: an ASCII fallback for old clients and the exact
 * name in RFC 5987 form.
 */
export function attachmentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}
