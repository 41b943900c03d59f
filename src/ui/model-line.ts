// The model in one line, for the Train step's header.
import { formatLayers } from '../core/model/layers.js';
import { describeModel, isLayerList } from '../core/model/spec.js';
import type { ModelState } from './state.js';

/** `text` cut to `width` at a space where it can be, ending in "…". */
export function shorten(text: string, width: number): string {
  if (text.length <= width) return text;
  if (width <= 1) return '…';
  const cut = text.slice(0, width - 1);
  const space = cut.lastIndexOf(' ');
  return `${space > width / 2 ? cut.slice(0, space + 1) : cut}…`;
}

/**
 * "cnn · 13 layers · 207,018 params"; "seed · 784 → 512 relu → … · 669,706 params"; a list of
 * one's own as its layers, shortened with an ellipsis to fit `width`.
 */
export function modelLine(model: ModelState, width: number): string {
  const { spec, preset } = model;
  const params = `${model.parameterCount.toLocaleString('en-US')} params`;
  const named = preset === 'custom' ? '' : `${preset} · `;
  if (isLayerList(spec)) {
    const tail = `${spec.layers.length} layer${spec.layers.length === 1 ? '' : 's'} · ${params}`;
    if (named) return `${named}${tail}`;
    const room = Math.max(10, width - tail.length - 3);
    return `${shorten(formatLayers(spec.layers), room)} · ${tail}`;
  }
  return `${named}${shorten(describeModel(spec), Math.max(10, width - named.length - params.length - 3))} · ${params}`;
}
