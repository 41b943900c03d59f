/**
 * Text for SVG plots as glyph outlines (pure): each character is a <path> from a font's glyph
 * table (assets/fonts/dejavu-sans-glyphs.json, made by scripts/make-glyphs.ts), so the PNG that
 * sharp renders has its labels on a machine with no fonts installed.
 */

export interface GlyphFont {
  readonly unitsPerEm: number;
  readonly ascender: number;
  readonly descender: number;
  /** Outline in font units (y up) and advance width, by character. */
  readonly glyphs: Readonly<Record<string, { readonly advance: number; readonly d: string }>>;
}

export interface TextOptions {
  /** Font size in px (the em). */
  readonly size: number;
  readonly anchor?: 'start' | 'middle' | 'end';
  readonly fill?: string;
  /** Degrees, around (x, y); -90 reads bottom to top. */
  readonly rotate?: number;
}

const glyph = (font: GlyphFont, ch: string) => font.glyphs[ch] ?? font.glyphs['?'];

export function textWidth(font: GlyphFont, text: string, size: number): number {
  let units = 0;
  for (const ch of text) units += glyph(font, ch)?.advance ?? 0;
  return (units * size) / font.unitsPerEm;
}

export const escapeXml = (s: string) =>
  s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);

const n = (x: number) => Number(x.toFixed(2));

/** `text` with its baseline at (x, y), as one <g> of glyph paths. */
export function svgText(font: GlyphFont, text: string, x: number, y: number, options: TextOptions): string {
  const scale = options.size / font.unitsPerEm;
  const width = textWidth(font, text, options.size);
  const dx = options.anchor === 'middle' ? -width / 2 : options.anchor === 'end' ? -width : 0;
  let pen = 0; // font units
  const paths: string[] = [];
  for (const ch of text) {
    const g = glyph(font, ch);
    if (!g) continue;
    if (g.d) paths.push(pen === 0 ? `<path d="${g.d}"/>` : `<path transform="translate(${pen} 0)" d="${g.d}"/>`);
    pen += g.advance;
  }
  const rotate = options.rotate ? ` rotate(${options.rotate})` : '';
  const s = Number(scale.toPrecision(6));
  return `<g transform="translate(${n(x)} ${n(y)})${rotate} translate(${n(dx)} 0) scale(${s} ${-s})" fill="${options.fill ?? '#222'}">${paths.join('')}</g>`;
}
