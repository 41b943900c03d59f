/**
 * curves.png's picture as SVG (pure): loss per epoch (train, test, val), accuracy per epoch
 * (test, val), and the whole run's batch loss.
 */
import { runBatchLoss } from '../analysis/downsample.js';
import type { ChartEpoch } from '../render/run-charts.js';
import { linePanel, PALETTE, type SvgSeries } from './axes.js';
import { escapeXml, svgText, type GlyphFont } from './svg-text.js';

export const CURVES_SIZE = { width: 960, height: 720 } as const;

function pick(history: readonly ChartEpoch[], f: (h: ChartEpoch) => number | undefined) {
  const rows = history.filter((h) => Number.isFinite(f(h)));
  return { xs: rows.map((h) => h.epoch), ys: rows.map((h) => f(h)!) };
}

export function curvesSvg(history: readonly ChartEpoch[], font: GlyphFont, title: string): string {
  const { width, height } = CURVES_SIZE;
  const xMax = Math.max(1, ...history.map((h) => h.epoch));
  const xMin = history.length > 1 ? Math.min(...history.map((h) => h.epoch)) : 0;
  const epochs = { xLabel: 'epoch', integerX: true, xMin, xMax };
  const loss: SvgSeries[] = [
    { name: 'train loss', ...pick(history, (h) => h.trainLoss), color: PALETTE[0], markers: true },
    { name: 'test loss', ...pick(history, (h) => h.testLoss), color: PALETTE[1], markers: true },
    { name: 'val loss', ...pick(history, (h) => h.valLoss), color: PALETTE[2], markers: true, dashed: true },
  ];
  const accuracy: SvgSeries[] = [
    { name: 'test accuracy', ...pick(history, (h) => 100 * h.testAccuracy), color: PALETTE[1], markers: true },
    {
      name: 'val accuracy',
      ...pick(history, (h) => (h.valAccuracy === undefined ? undefined : 100 * h.valAccuracy)),
      color: PALETTE[2],
      markers: true,
      dashed: true,
    },
  ];
  const batch = runBatchLoss(history);
  const body = [
    `<rect width="${width}" height="${height}" fill="#fafafa"/>`,
    svgText(font, title, 24, 32, { size: 18, fill: '#111' }),
    linePanel(font, { x: 70, y: 80, w: 380, h: 260 }, loss, { ...epochs, title: 'Loss per epoch' }),
    linePanel(font, { x: 560, y: 80, w: 380, h: 260 }, accuracy, {
      ...epochs,
      title: 'Accuracy per epoch',
      legend: 'bottom',
      formatY: (y) => `${Number(y.toFixed(1))}%`,
    }),
    linePanel(
      font,
      { x: 70, y: 430, w: 870, h: 220 },
      [{ name: 'batch loss (bucket means)', xs: batch.xs, ys: batch.ys, color: PALETTE[0] }],
      {
        title:
          batch.xs.length > 0
            ? 'Batch loss over the whole run'
            : 'Batch loss over the whole run (not saved by this run)',
        xLabel: 'epoch',
        integerX: true,
        xMin: 0,
        xMax,
      },
    ),
  ];
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">` +
    `<title>${escapeXml(title)}</title>\n${body.join('\n')}\n</svg>\n`
  );
}
