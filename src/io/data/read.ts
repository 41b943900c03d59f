/**
 * Reading IDX files from disk: stream → gunzip (zlib, off the main thread) → SHA-256 → one buffer.
 * The event loop only sees small chunk callbacks, so a TUI keeps drawing while 47 MB load.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createGunzip } from 'node:zlib';
import { declaredIdxSize, IdxFormatError } from '../../core/dataset/idx.js';
import { FULL_DIGESTS, SAMPLE_DIGESTS, type IdxFileName, type IdxFileSpec } from '../../core/dataset/files.js';

/** Anything bigger is not Fashion-MNIST (and might be a gzip bomb). */
const MAX_DECOMPRESSED_BYTES = 256 * 1024 * 1024;

export interface IdxFileContent {
  /** Path read (the .gz or the plain file). */
  readonly path: string;
  readonly compressed: boolean;
  /** Decompressed IDX bytes, exact length. */
  readonly bytes: Uint8Array;
  /** Hex SHA-256 of `bytes`. */
  readonly sha256: string;
}

/** Where `name` lives in `dir`: `${name}.gz` preferred, else the uncompressed `${name}`; undefined if neither. */
export async function locateIdxFile(dir: string, name: string): Promise<string | undefined> {
  for (const candidate of [join(dir, `${name}.gz`), join(dir, name)]) {
    try {
      if ((await stat(candidate)).isFile()) return candidate;
    } catch {
      // not there
    }
  }
  return undefined;
}

async function isGzip(path: string): Promise<boolean> {
  const fh = await open(path, 'r');
  try {
    const head = Buffer.alloc(2);
    const { bytesRead } = await fh.read(head, 0, 2, 0);
    return bytesRead === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    await fh.close();
  }
}

/** Expected size when `name` is one of ours (lets the reader allocate once). */
function sizeHint(name: string | undefined): number | undefined {
  if (!name) return undefined;
  const full = FULL_DIGESTS[name as IdxFileName];
  return full ? Math.max(full.bytes, SAMPLE_DIGESTS[name as IdxFileName].bytes) : undefined;
}

/**
 * Read a (possibly gzipped) IDX file: its decompressed bytes and their SHA-256.
 * Gzip damage (bad header, CRC mismatch, cut short) → IdxFormatError naming `label`.
 * `label` is the name used in messages (defaults to the path).
 */
export async function readIdxFile(
  path: string,
  options: { label?: string; name?: string; signal?: AbortSignal } = {},
): Promise<IdxFileContent> {
  const label = options.label ?? path;
  const compressed = await isGzip(path);
  const hash = createHash('sha256');
  let buffer = new Uint8Array(0);
  let length = 0;
  let sized = false;
  const hint = sizeHint(options.name);

  const append = (chunk: Uint8Array) => {
    hash.update(chunk);
    if (!sized && length + chunk.length >= 16) {
      // Size the buffer from the IDX header once it is known (one allocation for 47 MB).
      const head = new Uint8Array(16);
      head.set(buffer.subarray(0, length));
      head.set(chunk.subarray(0, 16 - length), length);
      const declared = declaredIdxSize(head);
      const want = Math.min(declared ?? hint ?? 1 << 20, hint ?? MAX_DECOMPRESSED_BYTES, MAX_DECOMPRESSED_BYTES);
      if (want > buffer.length) grow(Math.max(want, length + chunk.length));
      sized = true;
    }
    if (length + chunk.length > buffer.length) {
      if (length + chunk.length > MAX_DECOMPRESSED_BYTES) {
        throw new IdxFormatError(
          label,
          `decompresses to more than ${MAX_DECOMPRESSED_BYTES >> 20} MB; this is not a Fashion-MNIST file`,
        );
      }
      grow(Math.min(MAX_DECOMPRESSED_BYTES, Math.max(2 * buffer.length, length + chunk.length, 1 << 16)));
    }
    buffer.set(chunk, length);
    length += chunk.length;
  };
  const grow = (capacity: number) => {
    const next = new Uint8Array(capacity);
    next.set(buffer.subarray(0, length));
    buffer = next;
  };

  const source = createReadStream(path, { highWaterMark: 1 << 20, signal: options.signal });
  try {
    if (compressed) {
      const gunzip = createGunzip({ chunkSize: 1 << 18 });
      source.on('error', (err) => gunzip.destroy(err));
      source.pipe(gunzip);
      for await (const chunk of gunzip) append(chunk as Buffer);
    } else {
      for await (const chunk of source) append(chunk as Buffer);
    }
  } catch (err) {
    source.destroy();
    if (err instanceof IdxFormatError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'Z_BUF_ERROR') throw new IdxFormatError(label, 'the gzip data is truncated (unexpected end of file)');
    if (code === 'Z_DATA_ERROR')
      throw new IdxFormatError(label, `the gzip data is corrupt (${(err as Error).message})`);
    throw err;
  }
  return { path, compressed, bytes: buffer.subarray(0, length), sha256: hash.digest('hex') };
}

/** Read the four files of `dir` concurrently; missing files are listed rather than thrown. */
export async function locateAll(
  dir: string,
  files: readonly IdxFileSpec[],
): Promise<{ found: Map<IdxFileName, string>; missing: IdxFileName[] }> {
  const found = new Map<IdxFileName, string>();
  const missing: IdxFileName[] = [];
  const paths = await Promise.all(files.map((f) => locateIdxFile(dir, f.name)));
  files.forEach((f, i) => (paths[i] ? found.set(f.name, paths[i]!) : missing.push(f.name)));
  return { found, missing };
}
