/**
 * The PNG plots of a run folder: curves.png and confusion.png, drawn as SVG (src/core/plots)
 * and rendered by sharp. Text is glyph outlines from assets/fonts, so no system font is needed.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import type { GlyphFont } from '../core/plots/svg-text.js';
import { writeFileAtomic } from './atomic.js';

let font: GlyphFont | undefined;

/** The glyph outlines shipped in assets/fonts (read once). */
export function plotFont(): GlyphFont {
  font ??= JSON.parse(
    readFileSync(fileURLToPath(new URL('../../assets/fonts/dejavu-sans-glyphs.json', import.meta.url)), 'utf8'),
  ) as GlyphFont;
  return font;
}

export async function svgToPng(svg: string): Promise<Buffer> {
  return sharp(Buffer.from(svg), { density: 72 }).png({ compressionLevel: 9 }).toBuffer();
}

/** Render `svg` and write it to `path` atomically (refusing to replace a file unless `force`). */
export async function writeSvgAsPng(path: string, svg: string, options: { force?: boolean } = {}): Promise<number> {
  const png = await svgToPng(svg);
  await writeFileAtomic(path, png, { force: options.force, mkdirs: true });
  return png.length;
}
