/** confusion.png's picture as SVG (pure): a labelled heat map with the counts in the cells. */
import type { ConfusionMatrix } from '../analysis/confusion.js';
import { cellColour } from '../render/heat-map.js';
import { escapeXml, svgText, type GlyphFont } from './svg-text.js';

export const CONFUSION_SIZE = { width: 820, height: 760 } as const;

export function confusionSvg(m: ConfusionMatrix, labels: readonly string[], font: GlyphFont, title: string): string {
  const { width, height } = CONFUSION_SIZE;
  const k = m.length;
  const cell = 56;
  const left = 150;
  const top = 150;
  const parts = [
    `<rect width="${width}" height="${height}" fill="#fafafa"/>`,
    svgText(font, title, 24, 36, { size: 18, fill: '#111' }),
  ];
  parts.push(svgText(font, 'predicted class', left + (k * cell) / 2, 66, { size: 14, anchor: 'middle', fill: '#444' }));
  parts.push(
    svgText(font, 'true class', 22, top + (k * cell) / 2, { size: 14, anchor: 'middle', fill: '#444', rotate: -90 }),
  );
  for (let i = 0; i < k; i++) {
    const total = m[i].reduce((a, b) => a + b, 0);
    parts.push(
      svgText(font, labels[i] ?? String(i), left - 10, top + i * cell + cell / 2 + 5, { size: 13, anchor: 'end' }),
    );
    parts.push(
      svgText(font, labels[i] ?? String(i), left + i * cell + cell / 2 + 4, top - 10, {
        size: 13,
        rotate: -50,
        fill: '#222',
      }),
    );
    for (let j = 0; j < k; j++) {
      const [r, g, b] = cellColour(total === 0 ? 0 : m[i][j] / total, i === j);
      const x = left + j * cell;
      const y = top + i * cell;
      parts.push(`<rect x="${x}" y="${y}" width="${cell}" height="${cell}" fill="rgb(${r},${g},${b})" stroke="#fff"/>`);
      const dark = 0.299 * r + 0.587 * g + 0.114 * b < 140;
      parts.push(
        svgText(font, String(m[i][j]), x + cell / 2, y + cell / 2 + 5, {
          size: 14,
          anchor: 'middle',
          fill: dark ? '#fff' : '#222',
        }),
      );
    }
  }
  parts.push(
    svgText(
      font,
      'Rows: true class; columns: predicted. Green: right; red: mistakes, darker for a larger share of the row.',
      24,
      height - 24,
      {
        size: 12,
        fill: '#555',
      },
    ),
  );
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">` +
    `<title>${escapeXml(title)}</title>\n${parts.join('\n')}\n</svg>\n`
  );
}
