/**
 * Reading a whole file into memory, safely: only regular files (a FIFO blocks the reader forever)
 * and only up to a cap checked before reading (a 2 GB file aborts Node's Buffer allocation).
 */
import { open } from 'node:fs/promises';
import { UserError } from '../core/errors.js';
import { assertReadableFile, describeFsError } from './fs-safe.js';

/** The largest model file (weights, checkpoint, ONNX) read: it is loaded whole into memory. */
export const MAX_MODEL_FILE_BYTES = 1e9;

/** "2.0 GB", "512 MB", "12 kB" (decimal units, as `ls -h --si` shows them). */
export function formatBytes(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(1)} GB`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(n >= 1e8 ? 0 : 1)} MB`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(0)} kB`;
  return `${n} B`;
}

export interface ReadOptions {
  /** Names the file in messages (default: the path). */
  readonly what?: string;
  /** Refuse larger files (default MAX_MODEL_FILE_BYTES), checked before reading. */
  readonly maxBytes?: number;
  /** "model files", "image files": what the cap is for, in its message. */
  readonly kind?: string;
}

/**
 * Read a whole file as bytes with a one-line error when it cannot be read. Only regular files
 * (a FIFO would block forever) and only up to a cap (a 2 GB file aborts Node's Buffer).
 */
export async function readFileBytes(path: string, options: ReadOptions = {}): Promise<Uint8Array> {
  const what = options.what ?? path;
  const max = options.maxBytes ?? MAX_MODEL_FILE_BYTES;
  const size = await assertReadableFile(path, what);
  if (size > max)
    throw new UserError(
      `${what} is ${formatBytes(size)}; fmnist-tui reads ${options.kind ?? 'model files'} up to ${formatBytes(max)} ` +
        '(they are loaded whole into memory)',
    );
  try {
    const fh = await open(path, 'r');
    try {
      const out = Buffer.alloc(size);
      const { bytesRead } = await fh.read(out, 0, size, 0);
      return new Uint8Array(out.buffer, out.byteOffset, bytesRead);
    } finally {
      await fh.close();
    }
  } catch (err) {
    throw new UserError(`cannot read ${what}: ${describeFsError(err)}`, { cause: err });
  }
}
