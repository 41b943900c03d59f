import { Box, Text } from 'ink';
import { memo, useMemo } from 'react';
import { renderImage, type RenderStyle } from '../../core/render/image-preview.js';

export interface StripItem {
  readonly pixels: Uint8Array;
  /** Up to two short caption lines under the image. */
  readonly caption: string;
  readonly caption2?: string;
  readonly color?: string;
}

export interface ImageStripProps {
  readonly items: readonly StripItem[];
  readonly width: number;
  /** From detectRenderStyle: unicode or ascii, grey colours or shades. */
  readonly imageStyle: RenderStyle;
  /** 14 (7 lines) fits 80×24; 28 (14 lines) for tall terminals. */
  readonly size?: 14 | 28;
}

/**
 * As many thumbnails side by side as fit in `width`, captions under them. Memoised: while
 * training, the live plots redraw ~10 times a second and the thumbnails need not.
 */
export const ImageStrip = memo(function ImageStrip({ items, width, imageStyle, size = 14 }: ImageStripProps) {
  const cell = Math.max(size, 14) + 2;
  const fit = Math.max(1, Math.min(items.length, Math.floor(width / cell)));
  const images = useMemo(
    () => items.slice(0, fit).map((item) => renderImage(item.pixels, { ...imageStyle, size })),
    [items, fit, imageStyle, size],
  );
  return (
    <Box>
      {items.slice(0, fit).map((item, i) => (
        <Box key={i} flexDirection="column" width={cell}>
          {images[i].map((line, j) => (
            <Text key={j}>{line}</Text>
          ))}
          <Text color={item.color} wrap="truncate">
            {item.caption}
          </Text>
          {item.caption2 !== undefined ? (
            <Text color={item.color} wrap="truncate">
              {item.caption2}
            </Text>
          ) : null}
        </Box>
      ))}
    </Box>
  );
});
