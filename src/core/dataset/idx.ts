/**
 * IDX parsing and validation (pure: takes the decompressed bytes, returns views into them).
 * Format (big-endian): images = magic 2051, count, rows, cols, then count*rows*cols uint8;
 * labels = magic 2049, count, then count uint8.
 */
import { UserError } from '../errors.js';
import { IMAGE_SIZE, NUM_CLASSES, PIXELS, type Split } from './types.js';

export const IMAGES_MAGIC = 2051;
export const LABELS_MAGIC = 2049;
export const IMAGES_HEADER_BYTES = 16;
export const LABELS_HEADER_BYTES = 8;

/**
 * A file that is not valid Fashion-MNIST IDX. `problem` says what is wrong; the message is
 * "<file>: <problem>" — the I/O layer adds what to do (it knows where the file came from).
 */
export class IdxFormatError extends UserError {
  readonly file: string;
  readonly problem: string;
  constructor(file: string, problem: string) {
    super(`${file}: ${problem}`);
    this.name = 'IdxFormatError';
    this.file = file;
    this.problem = problem;
  }
}

function u32(bytes: Uint8Array, offset: number): number {
  return ((bytes[offset] << 24) | (bytes[offset + 1] << 16) | (bytes[offset + 2] << 8) | bytes[offset + 3]) >>> 0;
}

function describeMagic(magic: number): string {
  if (magic === IMAGES_MAGIC) return 'an images file (magic 2051)';
  if (magic === LABELS_MAGIC) return 'a labels file (magic 2049)';
  if (magic >>> 16 === 0x1f8b) return 'gzip data (decompress it, or name it .gz)';
  return `magic ${magic} (0x${magic.toString(16).padStart(8, '0')})`;
}

const plural = (n: number, word: string) => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;

/**
 * Whatever the header says the total size of an IDX file is, or undefined while fewer than
 * header bytes are known (lets a streaming reader allocate once). Unknown magic → undefined.
 */
export function declaredIdxSize(header: Uint8Array): number | undefined {
  if (header.length < 8) return undefined;
  const magic = u32(header, 0);
  if (magic === LABELS_MAGIC) return LABELS_HEADER_BYTES + u32(header, 4);
  if (magic === IMAGES_MAGIC && header.length >= IMAGES_HEADER_BYTES)
    return IMAGES_HEADER_BYTES + u32(header, 4) * u32(header, 8) * u32(header, 12);
  return undefined;
}

/** Validate an IDX images file of 28×28 uint8 images; `pixels` is a view (no copy). */
export function parseIdxImages(bytes: Uint8Array, file: string): { count: number; pixels: Uint8Array } {
  if (bytes.length < IMAGES_HEADER_BYTES)
    throw new IdxFormatError(
      file,
      `too short for an IDX images header (${plural(bytes.length, 'byte')}; the file is truncated)`,
    );
  const magic = u32(bytes, 0);
  if (magic !== IMAGES_MAGIC)
    throw new IdxFormatError(file, `not an IDX images file: found ${describeMagic(magic)}, expected magic 2051`);
  const count = u32(bytes, 4);
  const rows = u32(bytes, 8);
  const cols = u32(bytes, 12);
  if (rows !== IMAGE_SIZE || cols !== IMAGE_SIZE)
    throw new IdxFormatError(file, `images are ${rows}×${cols}, expected 28×28`);
  checkPayload(file, bytes.length, IMAGES_HEADER_BYTES, count, PIXELS, 'image');
  return { count, pixels: bytes.subarray(IMAGES_HEADER_BYTES) };
}

/** Validate an IDX labels file with labels 0..9; `labels` is a view (no copy). */
export function parseIdxLabels(bytes: Uint8Array, file: string): { count: number; labels: Uint8Array } {
  if (bytes.length < LABELS_HEADER_BYTES)
    throw new IdxFormatError(
      file,
      `too short for an IDX labels header (${plural(bytes.length, 'byte')}; the file is truncated)`,
    );
  const magic = u32(bytes, 0);
  if (magic !== LABELS_MAGIC)
    throw new IdxFormatError(file, `not an IDX labels file: found ${describeMagic(magic)}, expected magic 2049`);
  const count = u32(bytes, 4);
  checkPayload(file, bytes.length, LABELS_HEADER_BYTES, count, 1, 'label');
  const labels = bytes.subarray(LABELS_HEADER_BYTES);
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] >= NUM_CLASSES) throw new IdxFormatError(file, `label ${labels[i]} at index ${i} is outside 0..9`);
  }
  return { count, labels };
}

function checkPayload(
  file: string,
  length: number,
  header: number,
  count: number,
  itemBytes: number,
  item: string,
): void {
  const expected = header + count * itemBytes;
  if (length < expected) {
    throw new IdxFormatError(
      file,
      `truncated: the header promises ${plural(count, item)} (${plural(expected, 'byte')}) but the file has ${plural(length, 'byte')}`,
    );
  }
  if (length > expected) {
    throw new IdxFormatError(
      file,
      `${plural(length - expected, 'unexpected byte')} after the ${plural(count, item)} the header promises`,
    );
  }
}

/** Pair an images file with its labels file into a Split (equal counts required). */
export function makeSplit(images: Uint8Array, imagesFile: string, labels: Uint8Array, labelsFile: string): Split {
  const im = parseIdxImages(images, imagesFile);
  const lb = parseIdxLabels(labels, labelsFile);
  if (im.count !== lb.count) {
    throw new IdxFormatError(
      imagesFile,
      `has ${plural(im.count, 'image')} but ${labelsFile} has ${plural(lb.count, 'label')}; the two files must come from the same set`,
    );
  }
  return { images: im.pixels, labels: lb.labels, count: im.count };
}

/** Encode images (count*784 uint8) as an IDX images file: for fixtures and the sample script. */
export function encodeIdxImages(pixels: Uint8Array, count = pixels.length / PIXELS): Uint8Array {
  const out = new Uint8Array(IMAGES_HEADER_BYTES + pixels.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, IMAGES_MAGIC);
  view.setUint32(4, count);
  view.setUint32(8, IMAGE_SIZE);
  view.setUint32(12, IMAGE_SIZE);
  out.set(pixels, IMAGES_HEADER_BYTES);
  return out;
}

/** Encode labels as an IDX labels file. */
export function encodeIdxLabels(labels: Uint8Array): Uint8Array {
  const out = new Uint8Array(LABELS_HEADER_BYTES + labels.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, LABELS_MAGIC);
  view.setUint32(4, labels.length);
  out.set(labels, LABELS_HEADER_BYTES);
  return out;
}

/** Images per class in a split (index = label). */
export function classCounts(labels: Uint8Array): number[] {
  const counts = new Array<number>(NUM_CLASSES).fill(0);
  for (let i = 0; i < labels.length; i++) counts[labels[i]]++;
  return counts;
}
