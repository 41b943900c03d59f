import { readFileSync } from 'node:fs';
import { totalmem } from 'node:os';

/** Memory this process may use: the machine's, or a cgroup (container) limit when lower. */
export function machineMemoryBytes(): number {
  let limit = Number.POSITIVE_INFINITY;
  for (const path of ['/sys/fs/cgroup/memory.max', '/sys/fs/cgroup/memory/memory.limit_in_bytes'])
    try {
      const n = Number(readFileSync(path, 'utf8').trim());
      if (Number.isFinite(n) && n > 0) limit = Math.min(limit, n);
    } catch {
      // not there: no limit of that kind
    }
  return Math.min(totalmem(), limit);
}
