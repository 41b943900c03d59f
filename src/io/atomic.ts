import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { UserError } from '../core/errors.js';

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
  const dir = dirname(path);
  try {
    if (options.mkdirs) await mkdir(dir, { recursive: true });
  } catch (err) {
    throw new UserError(`cannot create directory ${dir}: ${describeFsError(err)}`, { cause: err });
  }
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

/** "permission denied", "no such directory", … from a Node fs error. */
export function describeFsError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException)?.code;
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOENT':
      return 'no such file or directory';
    case 'ENOTDIR':
      return 'a parent path is not a directory';
    case 'EISDIR':
      return 'is a directory';
    case 'ENOSPC':
      return 'no space left on device';
    case 'EROFS':
      return 'read-only file system';
    default:
      return (err as Error)?.message ?? String(err);
  }
}
