/**
 * File-system checks every reader and writer shares: directories made one level at a time
 * (Node's recursive mkdir spins forever on paths like /proc/nope), regular files only (a FIFO
 * blocks the reader forever, a device node must never be replaced), and "is that process alive".
 */
import { lstatSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { link, lstat, mkdir, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { UserError } from '../core/errors.js';

/**
 * `mkdir -p`, written out: Node 20's `mkdir(path, { recursive: true })` loops at 100% CPU
 * when a parent refuses the mkdir with ENOENT (e.g. under /proc). Each level is made once;
 * any error other than "exists" ends it with one line.
 */
export async function makeDirectory(path: string, what = path): Promise<void> {
  const missing: string[] = [];
  let p = resolve(path);
  for (;;) {
    try {
      const info = await stat(p);
      if (!info.isDirectory())
        throw new UserError(`cannot create ${what}: ${p} is a file, not a folder`, { exitCode: 1 });
      break;
    } catch (err) {
      if (err instanceof UserError) throw err;
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT') throw new UserError(`cannot create ${what}: ${describeFsError(err)}`, { cause: err });
      if (dirname(p) === p) break;
      missing.push(p);
      p = dirname(p);
    }
  }
  for (const dir of missing.reverse()) {
    try {
      await mkdir(dir);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EEXIST' && (await stat(dir).catch(() => undefined))?.isDirectory()) continue;
      throw new UserError(`cannot create ${what}: ${describeFsError(err)}`, { cause: err });
    }
  }
}

/** makeDirectory for synchronous callers (conf's constructor would otherwise spin on /proc paths). */
export function makeDirectorySync(path: string, what = path): void {
  const missing: string[] = [];
  let p = resolve(path);
  for (;;) {
    const info = statOrUndefined(p);
    if (info) {
      if (!info.isDirectory()) throw new UserError(`cannot create ${what}: ${p} is a file, not a folder`);
      break;
    }
    if (dirname(p) === p) break;
    missing.push(p);
    p = dirname(p);
  }
  for (const dir of missing.reverse()) {
    try {
      mkdirSync(dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST' && statOrUndefined(dir)?.isDirectory()) continue;
      throw new UserError(`cannot create ${what}: ${describeFsError(err)}`, { cause: err });
    }
  }
}

/** What sits at a path, in words, for "is not a regular file" messages. */
function kindOf(info: import('node:fs').Stats): string {
  if (info.isDirectory()) return 'a folder';
  if (info.isFIFO()) return 'a named pipe (FIFO)';
  if (info.isSocket()) return 'a socket';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device';
  if (info.isSymbolicLink()) return 'a symbolic link';
  return 'not a regular file';
}

/**
 * Refuse anything but a regular file before it is opened: a FIFO would block the read
 * forever. Symbolic links to regular files are fine to read. Returns the file's size.
 */
export async function assertReadableFile(path: string, what = path): Promise<number> {
  let info: import('node:fs').Stats;
  try {
    info = await stat(path);
  } catch (err) {
    throw new UserError(`cannot read ${what}: ${describeFsError(err)}`, { cause: err });
  }
  if (!info.isFile()) throw new UserError(`cannot read ${what}: it is ${kindOf(info)}, not a regular file`);
  return info.size;
}

/**
 * A path a writer may replace: absent, or a regular file (not a symlink, device, FIFO or
 * folder — replacing /dev/null with a file as root, or a symlink's target, is never wanted).
 */
export async function assertReplaceable(path: string, what = path): Promise<void> {
  let info: import('node:fs').Stats;
  try {
    info = await lstat(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw new UserError(`cannot write ${what}: ${describeFsError(err)}`, { cause: err });
  }
  if (!info.isFile())
    throw new UserError(`cannot write ${what}: it is ${kindOf(info)}; write to a regular file or a new path`);
}

/** Synchronous lstat that says "absent" instead of throwing. */
export function lstatOrUndefined(path: string): import('node:fs').Stats | undefined {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}

/** Synchronous stat (following links) that says "absent" instead of throwing. */
export function statOrUndefined(path: string): import('node:fs').Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

/**
 * Create a lock file holding this process's id, atomically: the id is written to a temp file
 * that is then hard-linked to `path` (link fails if `path` exists), so no reader ever sees an
 * empty lock (an `open('wx')` then write leaves a moment where it would look stale).
 * Resolves false when the lock exists; throws other errors.
 */
export async function tryCreateLockFile(path: string): Promise<boolean> {
  const tmp = `${path}.${process.pid}.${Math.random().toString(16).slice(2, 10).padEnd(8, '0')}.tmp`;
  await writeFile(tmp, `${process.pid}\n`, { flag: 'wx' });
  try {
    await link(tmp, path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  } finally {
    await unlink(tmp).catch(() => {});
  }
}

/** The process id written in a lock file: undefined when the file is gone, 0 when it holds no id yet. */
export function readLockOwner(path: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(path, 'utf8'), 10);
    return Number.isSafeInteger(pid) ? pid : 0;
  } catch {
    return undefined;
  }
}

/** Whether a process with this id exists (EPERM: it exists, owned by someone else). */
export function processAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
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
