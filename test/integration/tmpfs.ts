import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A small tmpfs (a full disk of `size`, e.g. '400k', or a read-only file system), when this
 * process may mount one (root in a container that allows it); undefined otherwise.
 */
export function mountTmpfs(size: string, readOnly = false): { path: string; unmount(): void } | undefined {
  const path = mkdtempSync(join(tmpdir(), 'fmnist-tmpfs-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}${readOnly ? ',ro' : ''}`, 'tmpfs', path], {
      stdio: 'ignore',
    });
  } catch {
    rmSync(path, { recursive: true, force: true });
    return undefined;
  }
  return {
    path,
    unmount() {
      try {
        execFileSync('umount', [path], { stdio: 'ignore' });
      } finally {
        rmSync(path, { recursive: true, force: true });
      }
    },
  };
}

/** The id of a process that has exited (for "stale file of a dead process" cases). */
export function deadPid(): number {
  return spawnSync('true').pid ?? 999_999;
}
