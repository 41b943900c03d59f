// The Verify step's analysis view: the confusion heat map with an F1 bar per class beside it, and
// a gallery of the worst mistakes, a page at a time. Fits 80×24.
import { Box, Text } from 'ink';
import { useMemo } from 'react';
import type { ModelAnalysis } from '../../core/analysis/analysis.js';
import { CLASS_NAMES, PIXELS, type Split } from '../../core/dataset/types.js';
import { bar } from '../../core/render/class-bars.js';
import { renderHeatMap } from '../../core/render/heat-map.js';
import type { RenderStyle } from '../../core/render/image-preview.js';
import { ImageStrip } from '../components/ImageStrip.js';
import { TextLines } from '../components/TextLines.js';
import type { Theme } from '../components/theme.js';
import { formatPercent } from '../format.js';
import { GALLERY_PAGE } from '../insight-state.js';

export interface AnalysisViewProps {
  readonly analysis: ModelAnalysis;
  readonly page: number;
  readonly test?: Split;
  readonly columns: number;
  readonly rows: number;
  readonly theme: Theme;
  readonly imageStyle: RenderStyle;
}

/** The heat map's rows with "F1 ▇▇▇▇ .82" beside each class when there is room. */
export function analysisLines(a: ModelAnalysis, style: RenderStyle, columns: number): string[] {
  const heat = renderHeatMap(a.confusion, { ...style, labels: CLASS_NAMES });
  const room = columns - 63 - 1;
  const barWidth = Math.min(12, room - 4);
  const rows = heat.slice(2).map((line, i) => {
    if (barWidth < 3) return line;
    const f1 = a.perClass[i]?.f1 ?? 0;
    return `${line} ${bar(f1, barWidth, style.style).padEnd(barWidth)}${f1.toFixed(2).replace(/^0/, '')}`;
  });
  const head = `Accuracy ${formatPercent(a.accuracy, 2)} · rows: true class, columns: predicted${barWidth >= 3 ? ' · F1' : ''}`;
  return [head, heat[1], ...rows];
}

export function AnalysisView({ analysis, page, test, columns, rows, theme, imageStyle }: AnalysisViewProps) {
  const lines = useMemo(() => analysisLines(analysis, imageStyle, columns), [analysis, imageStyle, columns]);
  const pages = Math.max(1, Math.ceil(analysis.topLosses.length / GALLERY_PAGE));
  const items = useMemo(
    () =>
      test
        ? analysis.topLosses.slice(page * GALLERY_PAGE, (page + 1) * GALLERY_PAGE).map((t) => ({
            pixels: test.images.subarray(t.index * PIXELS, (t.index + 1) * PIXELS),
            caption: `✗ ${t.predicted} ${formatPercent(t.probability, 0)}`,
            caption2: `  is ${t.true}`,
            color: theme.bad,
          }))
        : [],
    [analysis, page, test, theme],
  );
  return (
    <Box flexDirection="column">
      <TextLines lines={lines} />
      {rows >= 23 && items.length > 0 ? (
        <>
          <Text bold wrap="truncate">
            Worst mistakes {page + 1}/{pages} <Text color={theme.muted}>(predicted, probability, true class)</Text>
          </Text>
          <ImageStrip items={items} width={columns} imageStyle={imageStyle} size={rows >= 40 ? 28 : 14} />
        </>
      ) : null}
    </Box>
  );
}
