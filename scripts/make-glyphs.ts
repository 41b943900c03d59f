/**
 * Writes assets/fonts/dejavu-sans-glyphs.json: the outlines of the characters the PNG plots use,
 * taken from DejaVu Sans (Debian's fonts-dejavu-core; Bitstream Vera licence, in
 * assets/fonts/LICENSE-DejaVu.txt) as SVG path data in font units (y up).
 *
 * Why: curves.png and confusion.png are SVG rendered by sharp (librsvg), and <text> in that SVG
 * needs fonts installed on the machine; drawn as paths the text renders the same everywhere.
 * The parser is hand-written (simple TrueType glyphs: head, hhea, hmtx, maxp, cmap format 4,
 * loca, glyf) because it runs once here and a font library would be a dependency for one script.
 *
 *   node --import tsx scripts/make-glyphs.ts [/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf]
 */
import { readFileSync, writeFileSync } from 'node:fs';

const fontPath = process.argv[2] ?? '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf';
const out = new URL('../assets/fonts/dejavu-sans-glyphs.json', import.meta.url);
const CHARS = [...Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)), ...'–—…·→×Δ±≤≥'];

const buf = readFileSync(fontPath);
const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
const u16 = (o: number) => view.getUint16(o);
const i16 = (o: number) => view.getInt16(o);
const u32 = (o: number) => view.getUint32(o);

const tables = new Map<string, number>();
for (let i = 0, n = u16(4); i < n; i++) {
  const rec = 12 + 16 * i;
  tables.set(buf.toString('latin1', rec, rec + 4), u32(rec + 8));
}
const table = (tag: string) => {
  const o = tables.get(tag);
  if (o === undefined) throw new Error(`${fontPath} has no '${tag}' table`);
  return o;
};

const head = table('head');
const unitsPerEm = u16(head + 18);
const longLoca = i16(head + 50) === 1;
const hhea = table('hhea');
const ascender = i16(hhea + 4);
const descender = i16(hhea + 6);
const numberOfHMetrics = u16(hhea + 34);
const hmtx = table('hmtx');
const advanceOf = (g: number) => u16(hmtx + 4 * Math.min(g, numberOfHMetrics - 1));
const loca = table('loca');
const glyf = table('glyf');
const glyphOffset = (g: number) => (longLoca ? u32(loca + 4 * g) : 2 * u16(loca + 2 * g));

/** cmap format 4 (BMP): character code → glyph index. */
function glyphIndex(code: number): number {
  const cmap = table('cmap');
  for (let i = 0, n = u16(cmap + 2); i < n; i++) {
    const platform = u16(cmap + 4 + 8 * i);
    const encoding = u16(cmap + 6 + 8 * i);
    const sub = cmap + u32(cmap + 8 + 8 * i);
    if (u16(sub) !== 4 || (!(platform === 3 && encoding === 1) && platform !== 0)) continue;
    const segX2 = u16(sub + 6);
    const ends = sub + 14;
    const starts = ends + segX2 + 2;
    const deltas = starts + segX2;
    const rangeOffsets = deltas + segX2;
    for (let s = 0; s < segX2 / 2; s++) {
      if (code > u16(ends + 2 * s)) continue;
      const start = u16(starts + 2 * s);
      if (code < start) return 0;
      const ro = u16(rangeOffsets + 2 * s);
      if (ro === 0) return (code + i16(deltas + 2 * s)) & 0xffff;
      const g = u16(rangeOffsets + 2 * s + ro + 2 * (code - start));
      return g === 0 ? 0 : (g + i16(deltas + 2 * s)) & 0xffff;
    }
  }
  return 0;
}

/** A simple glyph's contours as SVG path data (quadratic curves, TrueType's implied on-points). */
function glyphPath(g: number): string {
  const start = glyphOffset(g);
  if (glyphOffset(g + 1) === start) return ''; // empty glyph (space)
  const o = glyf + start;
  const contours = i16(o);
  if (contours < 0) throw new Error(`glyph ${g} is composite: not supported`);
  const endPts = Array.from({ length: contours }, (_, i) => u16(o + 10 + 2 * i));
  const count = endPts[contours - 1] + 1;
  let p = o + 10 + 2 * contours;
  p += 2 + u16(p); // instructions
  const flags: number[] = [];
  while (flags.length < count) {
    const f = buf[p++];
    flags.push(f);
    if (f & 8) for (let r = buf[p++]; r > 0; r--) flags.push(f);
  }
  const coords = (short: number, same: number) => {
    const v: number[] = [];
    let c = 0;
    for (const f of flags) {
      if (f & short) {
        const d = buf[p++];
        c += f & same ? d : -d;
      } else if (!(f & same)) {
        c += i16(p);
        p += 2;
      }
      v.push(c);
    }
    return v;
  };
  const xs = coords(2, 16);
  const ys = coords(4, 32);
  const parts: string[] = [];
  let first = 0;
  for (const last of endPts) {
    const pts = Array.from({ length: last - first + 1 }, (_, k) => ({
      x: xs[first + k],
      y: ys[first + k],
      on: (flags[first + k] & 1) === 1,
    }));
    first = last + 1;
    // Start on an on-curve point (or the midpoint of two off-curve ones).
    let s = pts.findIndex((q) => q.on);
    let startPoint: { x: number; y: number };
    if (s < 0) {
      startPoint = { x: (pts[0].x + pts[1].x) / 2, y: (pts[0].y + pts[1].y) / 2 };
      s = 0;
    } else startPoint = pts[s];
    parts.push(`M${startPoint.x} ${startPoint.y}`);
    let control: { x: number; y: number } | undefined;
    for (let k = 1; k <= pts.length; k++) {
      const q = pts[(s + k) % pts.length];
      if (q.on) {
        parts.push(control ? `Q${control.x} ${control.y} ${q.x} ${q.y}` : `L${q.x} ${q.y}`);
        control = undefined;
      } else {
        if (control) {
          const mx = (control.x + q.x) / 2;
          const my = (control.y + q.y) / 2;
          parts.push(`Q${control.x} ${control.y} ${mx} ${my}`);
        }
        control = q;
      }
    }
    if (control) parts.push(`Q${control.x} ${control.y} ${startPoint.x} ${startPoint.y}`);
    parts.push('Z');
  }
  return parts.join('');
}

const glyphs: Record<string, { advance: number; d: string }> = {};
for (const ch of CHARS) {
  const g = glyphIndex(ch.codePointAt(0)!);
  if (g === 0) throw new Error(`${fontPath} has no glyph for '${ch}'`);
  glyphs[ch] = { advance: advanceOf(g), d: glyphPath(g) };
}
writeFileSync(
  out,
  JSON.stringify({
    font: 'DejaVu Sans (outlines only; Bitstream Vera licence, see LICENSE-DejaVu.txt)',
    unitsPerEm,
    ascender,
    descender,
    glyphs,
  }) + '\n',
);
console.log(`${Object.keys(glyphs).length} glyphs → ${out.pathname}`);
