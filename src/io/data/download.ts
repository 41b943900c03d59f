import type { DataProgress } from '../../core/dataset/progress.js';
import { UserError } from '../../core/errors.js';

export interface DownloadOptions {
  readonly cacheDir: string;
  readonly mirrors: readonly string[];
  readonly onProgress?: (p: DataProgress) => void;
  readonly signal?: AbortSignal;
  readonly failFastOffline?: boolean;
}

export async function downloadDataset(_options: DownloadOptions): Promise<void> {
  throw new UserError('download is not implemented yet');
}
