/**
 * Images in and out with sharp: reading any PNG/JPEG/WebP as a 28×28 Fashion-MNIST-style input,
 * writing grayscale PNGs, and the labelled contact sheet of predictions.
 */
import sharp, { type Metadata, type OverlayOptions } from 'sharp';
import { CLASS_NAMES, IMAGE_SIZE, PIXELS } from '../core/dataset/types.js';
import { UserError } from '../core/errors.js';
import { assertWritable, writeFileAtomic } from './atomic.js';
import { readFileBytes } from './safetensors.js';

const FORMATS = ['png', 'jpeg', 'webp'] as const;

/** A phone photo is a few MB; anything far larger is not a picture of one item of clothing. */
export const MAX_IMAGE_FILE_BYTES = 100e6;
/** 100 megapixels: decoding needs ~width×height×4 bytes (a 50000² PNG would need 10 GB). */
export const MAX_IMAGE_PIXELS = 100e6;

export interface ModelImage {
  /** 784 uint8 pixels, light item on black like Fashion-MNIST. */
  readonly pixels: Uint8Array;
  readonly format: string;
  readonly width: number;
  readonly height: number;
}

/**
 * Read an image as the model sees it: transparency flattened onto the background, grayscale,
 * fitted into 28×28 (aspect kept, padded with the background), light on dark. `invert` is for
 * photos of dark items on light backgrounds: transparency goes on white, then everything flips.
 */
export async function loadImageForModel(path: string, options: { invert?: boolean } = {}): Promise<ModelImage> {
  const bytes = await readFileBytes(path, { maxBytes: MAX_IMAGE_FILE_BYTES, kind: 'image files' });
  let meta: Metadata;
  try {
    // The header only (no pixels are decoded), so no pixel limit here: the size is checked next.
    meta = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch {
    throw new UserError(`${path} is not an image sharp can read (use PNG, JPEG or WebP)`);
  }
  const [width, height] = [meta.width ?? 0, meta.height ?? 0];
  if (width * height > MAX_IMAGE_PIXELS)
    throw new UserError(
      `${path} is too large: ${width}×${height} pixels; predict reads images up to ` +
        `${MAX_IMAGE_PIXELS / 1e6} megapixels (it shrinks them to 28×28 anyway: scale it down first)`,
    );
  if (!FORMATS.includes(meta.format as (typeof FORMATS)[number]))
    throw new UserError(`${path} is a ${meta.format} image; predict reads PNG, JPEG or WebP`);
  const background = options.invert ? '#ffffff' : '#000000';
  let data: Buffer;
  let channels: number;
  try {
    const out = await sharp(bytes)
      .rotate() // honour EXIF orientation from phone photos
      .flatten({ background })
      .greyscale()
      .resize(IMAGE_SIZE, IMAGE_SIZE, { fit: 'contain', background, kernel: 'lanczos3' })
      .raw()
      .toBuffer({ resolveWithObject: true });
    data = out.data;
    channels = out.info.channels;
  } catch (err) {
    throw new UserError(`${path} could not be decoded: ${String((err as Error).message).split('\n')[0]}`);
  }
  const pixels = new Uint8Array(PIXELS);
  for (let i = 0; i < PIXELS; i++) {
    const v = data[i * channels];
    pixels[i] = options.invert ? 255 - v : v;
  }
  return { pixels, format: meta.format!, width: meta.width ?? 0, height: meta.height ?? 0 };
}

/** A grayscale image (1 byte per pixel) as PNG bytes, optionally enlarged `scale` times (nearest neighbour). */
export async function encodeGrayPng(
  pixels: Uint8Array,
  width = IMAGE_SIZE,
  height = IMAGE_SIZE,
  scale = 1,
): Promise<Buffer> {
  let img = sharp(Buffer.from(pixels.buffer, pixels.byteOffset, width * height), {
    raw: { width, height, channels: 1 },
  });
  if (scale !== 1) img = img.resize(width * scale, height * scale, { kernel: 'nearest' });
  return img.toColourspace('b-w').png().toBuffer();
}

export async function writeGrayPng(
  path: string,
  pixels: Uint8Array,
  options: { width?: number; height?: number; force?: boolean } = {},
): Promise<void> {
  assertWritable(path, options.force);
  await writeFileAtomic(path, await encodeGrayPng(pixels, options.width, options.height), {
    force: options.force,
    mkdirs: true,
  });
}

export interface SheetItem {
  /** 784 pixels of the test image. */
  readonly pixels: Uint8Array;
  readonly label: number;
  readonly predicted: number;
  readonly probability: number;
}

const escapeXml = (s: string) => s.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * A contact sheet: each image ×4 with its predicted class and probability (green when right,
 * red when wrong) and the true class below. Text is an SVG overlay sharp composites.
 */
export async function encodeContactSheet(
  items: readonly SheetItem[],
  options: { columns?: number; title?: string } = {},
): Promise<Buffer> {
  const scale = 4;
  const tile = IMAGE_SIZE * scale; // 112
  const cellW = tile + 40;
  const cellH = tile + 44;
  const columns = Math.max(1, Math.min(options.columns ?? 8, items.length));
  const rows = Math.ceil(items.length / columns);
  const titleH = options.title ? 30 : 0;
  const width = columns * cellW + 10;
  const height = rows * cellH + titleH + 10;
  const composites: OverlayOptions[] = [];
  const texts: string[] = [];
  if (options.title) texts.push(`<text x="10" y="21" font-size="16" fill="#dddddd">${escapeXml(options.title)}</text>`);
  for (let k = 0; k < items.length; k++) {
    const item = items[k];
    const x = 10 + (k % columns) * cellW + 20;
    const y = titleH + 10 + Math.floor(k / columns) * cellH;
    composites.push({ input: await encodeGrayPng(item.pixels, IMAGE_SIZE, IMAGE_SIZE, scale), left: x, top: y });
    const right = item.predicted === item.label;
    const colour = right ? '#3fbf3f' : '#ef4040';
    const cx = x + tile / 2;
    texts.push(
      `<text x="${cx}" y="${y + tile + 16}" font-size="13" text-anchor="middle" fill="${colour}">` +
        `${escapeXml(CLASS_NAMES[item.predicted])} ${(100 * item.probability).toFixed(0)}%</text>`,
      `<text x="${cx}" y="${y + tile + 32}" font-size="11" text-anchor="middle" fill="#999999">` +
        `${right ? '' : 'true: '}${escapeXml(CLASS_NAMES[item.label])}</text>`,
    );
  }
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">` +
    `<g font-family="DejaVu Sans, Arial, sans-serif">${texts.join('')}</g></svg>`;
  composites.push({ input: Buffer.from(svg), left: 0, top: 0 });
  return sharp({ create: { width, height, channels: 3, background: '#1a1a1a' } })
    .composite(composites)
    .png()
    .toBuffer();
}

export async function writeContactSheet(
  path: string,
  items: readonly SheetItem[],
  options: { columns?: number; title?: string; force?: boolean } = {},
): Promise<void> {
  assertWritable(path, options.force);
  await writeFileAtomic(path, await encodeContactSheet(items, options), { force: options.force, mkdirs: true });
}
