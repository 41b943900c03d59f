import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { UserError } from '../core/errors.js';
import { assertReplaceable, describeFsError, makeDirectory } from './fs-safe.js';

export { describeFsError };

/** A sibling temp path in the same directory, so the final rename is atomic. */
export function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

export interface WriteOptions {
  /** Replace an existing file (otherwise an existing file is an error). */
  readonly force?: boolean;
  /** Create missing parent directories. */
  readonly mkdirs?: boolean;
}

/** Refuse to overwrite unless forced, with the one-line message every writer uses. */
export function assertWritable(path: string, force = false): void {
  if (!force && existsSync(path)) throw new UserError(`${path} already exists (use --force to replace it)`);
}

/**
 * Write a whole file atomically: temp file in the same directory, fsync, rename into place.
 * On any failure the temp file is removed and the destination is untouched.
 */
export async function writeFileAtomic(
  path: string,
  data: Uint8Array | string,
  options: WriteOptions = {},
): Promise<void> {
  assertWritable(path, options.force);
  // Never replace a device node, FIFO, folder or symlink with a regular file.
  await assertReplaceable(path);
  const dir = dirname(path);
  if (options.mkdirs) await makeDirectory(dir, `directory ${dir}`);
  const tmp = tempPathFor(path);
  try {
    const fh = await open(tmp, 'wx');
    try {
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    if (err instanceof UserError) throw err;
    throw new UserError(`cannot write ${path}: ${describeFsError(err)}`, { cause: err });
  }
}
