import { UsageError } from '../errors.js';
import { IMAGE_SIZE, PIXELS } from '../dataset/types.js';
import { deriveSeed, mulberry32 } from '../random.js';
import type { BatchData } from './batches.js';

/**
 * Training-time augmentation, as torchvision's transforms define it, applied in this order to each
 * training image (never to validation or test images):
 * - crop: RandomCrop(28, padding=crop) — zero-pad by `crop` pixels on every side, then cut a
 *   random 28×28 window (a shift of up to ±crop pixels in each direction); 0 = off
 * - flip: RandomHorizontalFlip(p=0.5)
 * - erase: RandomErasing() with its defaults — p 0.5, scale (0.02, 0.33), ratio (0.3, 3.3), value 0
 */
export interface Augment {
  readonly flip: boolean;
  readonly crop: number;
  readonly erase: boolean;
}

export const NO_AUGMENT: Augment = { flip: false, crop: 0, erase: false };
/** The most padding RandomCrop takes here (a wider shift moves an item out of the frame). */
export const MAX_CROP_PADDING = 8;

export function hasAugment(a: Augment | undefined): a is Augment {
  return a !== undefined && (a.flip || a.crop > 0 || a.erase);
}

/** "flip,crop:2,erase" — the --augment syntax (and how a run describes its augmentation). */
export function formatAugment(a: Augment | undefined): string {
  if (!hasAugment(a)) return 'none';
  return [a.crop > 0 ? `crop:${a.crop}` : '', a.flip ? 'flip' : '', a.erase ? 'erase' : ''].filter(Boolean).join(',');
}

/** Parses --augment: `none`, or a comma list of flip, crop[:PADDING] (default 2), erase. */
export function parseAugment(text: string): Augment {
  const t = text.trim();
  if (t === 'none' || t === '') return NO_AUGMENT;
  let flip = false;
  let crop = 0;
  let erase = false;
  for (const item of t.split(',').map((s) => s.trim())) {
    const [name, arg] = item.split(':');
    if (name === 'flip' && arg === undefined) flip = true;
    else if (name === 'erase' && arg === undefined) erase = true;
    else if (name === 'crop') {
      crop = arg === undefined ? 2 : Number(arg);
      if (!Number.isInteger(crop) || crop < 1 || crop > MAX_CROP_PADDING)
        throw new UsageError(
          `--augment crop:${arg}: the padding must be a whole number from 1 to ${MAX_CROP_PADDING} pixels, e.g. crop:2`,
        );
    } else
      throw new UsageError(
        `--augment: unknown item '${item}' (choose from flip, crop:PADDING, erase, e.g. flip,crop:2,erase; or none)`,
      );
  }
  return { flip, crop, erase };
}

export function validateAugment(a: Augment): Augment {
  if (!Number.isInteger(a.crop) || a.crop < 0 || a.crop > MAX_CROP_PADDING)
    throw new UsageError(
      `augmentation crop padding must be a whole number from 0 to ${MAX_CROP_PADDING} (got ${a.crop})`,
    );
  if (typeof a.flip !== 'boolean' || typeof a.erase !== 'boolean')
    throw new UsageError('augmentation flip and erase must be true or false');
  return a;
}

// Its own stream: augmentation never shares a seed with shuffling, dropout or the validation split.
const AUGMENT_STREAM = 0x4147;

/** Seed of global step `step`'s augmentations: a resumed run draws the same ones. */
export function augmentSeed(seed: number, step: number): number {
  return deriveSeed(deriveSeed(seed, AUGMENT_STREAM), step);
}

/** Python's round(): halves go to the even neighbour (torchvision rounds the erased box with it). */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

const ERASE_AREA = [0.02, 0.33] as const;
const ERASE_LOG_RATIO = [Math.log(0.3), Math.log(3.3)] as const;

/**
 * RandomErasing.get_params: up to 10 tries at a box of random area and aspect ratio that fits;
 * undefined (no erasing) if none does.
 */
function eraseBox(random: () => number): { i: number; j: number; h: number; w: number } | undefined {
  const area = PIXELS;
  for (let attempt = 0; attempt < 10; attempt++) {
    const eraseArea = area * (ERASE_AREA[0] + random() * (ERASE_AREA[1] - ERASE_AREA[0]));
    const aspect = Math.exp(ERASE_LOG_RATIO[0] + random() * (ERASE_LOG_RATIO[1] - ERASE_LOG_RATIO[0]));
    const h = roundHalfEven(Math.sqrt(eraseArea * aspect));
    const w = roundHalfEven(Math.sqrt(eraseArea / aspect));
    if (!(h < IMAGE_SIZE && w < IMAGE_SIZE)) continue;
    const i = Math.floor(random() * (IMAGE_SIZE - h + 1));
    const j = Math.floor(random() * (IMAGE_SIZE - w + 1));
    return { i, j, h, w };
  }
  return undefined;
}

/**
 * One training batch, augmented: a new buffer (the data set is never changed), each image drawn
 * from a stream seeded by `seed` (augmentSeed of the step). Works on the uint8 pixels in one pass
 * per image (crop and flip are one index map), so it costs a few percent of an epoch.
 */
export function augmentBatch(batch: BatchData, a: Augment, seed: number): BatchData {
  const random = mulberry32(seed);
  const out = new Uint8Array(batch.count * PIXELS);
  const side = IMAGE_SIZE;
  const k = a.crop;
  for (let n = 0; n < batch.count; n++) {
    const src = batch.images;
    // RandomCrop's window (top, left) in the padded image: randint(0, 2k) each; then the flip.
    const dy = k > 0 ? Math.floor(random() * (2 * k + 1)) - k : 0;
    const dx = k > 0 ? Math.floor(random() * (2 * k + 1)) - k : 0;
    const flip = a.flip && random() < 0.5;
    const base = n * PIXELS;
    // RandomCrop as one block copy: out[p] = in[p + d], d = dy·28 + dx, over the rows that stay in
    // the frame; the columns that wrapped in from a neighbouring row are then zeroed (the padding).
    const d = dy * side + dx;
    const from = Math.max(Math.max(0, -dy) * side, -d);
    const to = Math.min(Math.min(side, side - dy) * side, PIXELS - d);
    if (to > from) out.set(src.subarray(base + from + d, base + to + d), base + from);
    if (dx !== 0)
      for (let y = 0; y < side; y++) {
        const row = base + y * side;
        if (dx > 0) out.fill(0, row + side - dx, row + side);
        else out.fill(0, row, row - dx);
      }
    // The flip after the crop: out[y][x] = cropped[y][27 - x], each row mirrored in place.
    if (flip)
      for (let y = 0; y < side; y++) {
        const row = base + y * side;
        for (let x = 0; x < side >> 1; x++) {
          const t = out[row + x];
          out[row + x] = out[row + side - 1 - x];
          out[row + side - 1 - x] = t;
        }
      }
    if (a.erase && random() < 0.5) {
      const box = eraseBox(random);
      const at = n * PIXELS;
      if (box)
        for (let y = box.i; y < box.i + box.h; y++) out.fill(0, at + y * side + box.j, at + y * side + box.j + box.w);
    }
  }
  return { images: out, labels: batch.labels, count: batch.count };
}
