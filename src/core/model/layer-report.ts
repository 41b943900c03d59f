// A layer list as the editor shows it, valid or not: each layer's output shape, parameters and
// multiply-adds as far as the shapes can be inferred, and the layer that breaks the list with why.
import { tensorSize } from '../tensors.js';
import { checkLayer, formatLayer, LayerError, type LayerSpec } from './layers.js';
import { inferLayerModules, moduleMultiplyAdds, moduleParameters, type Module } from './modules.js';

export interface LayerRow {
  /** The layer as the --layers syntax writes it, e.g. `Conv2d(32,3,padding=1)`. */
  readonly text: string;
  /** Per-image output shape, e.g. [32, 14, 14]; undefined from the layer that breaks the list on. */
  readonly outputShape?: readonly number[];
  /** Trainable parameters (undefined where the shape is unknown). */
  readonly parameters?: number;
  /** Multiply-adds per image (undefined where the shape is unknown). */
  readonly multiplyAdds?: number;
}

/** Why a list cannot train: the layer (0-based; -1 for an empty list) and the validation message. */
export interface LayerProblem {
  readonly layer: number;
  readonly reason: string;
}

export interface LayerListReport {
  readonly rows: readonly LayerRow[];
  /** Sums over the rows whose shapes are known (every row of a valid list). */
  readonly totalParameters: number;
  readonly multiplyAdds: number;
  readonly problem?: LayerProblem;
}

const trainable = (m: Module) =>
  moduleParameters(m)
    .filter((p) => !p.buffer)
    .reduce((n, p) => n + tensorSize(p.shape), 0);

/** The first layer whose own arguments are out of range (a list read from a file), if any. */
function badArguments(layers: readonly LayerSpec[]): LayerError | undefined {
  for (let i = 0; i < layers.length; i++)
    try {
      checkLayer(layers[i], i);
    } catch (err) {
      if (err instanceof LayerError) return err;
      throw err;
    }
  return undefined;
}

/** Every layer with what can be inferred of it, and the first problem; never throws. */
export function inspectLayers(layers: readonly LayerSpec[]): LayerListReport {
  if (layers.length === 0)
    return {
      rows: [],
      totalParameters: 0,
      multiplyAdds: 0,
      problem: { layer: -1, reason: 'the layer list is empty' },
    };
  const bad = badArguments(layers);
  // Shapes are inferred up to a layer with bad arguments; that prefix's ending is no problem.
  const head = bad ? layers.slice(0, bad.layer) : layers;
  const inferred = inferLayerModules(head);
  const modules = inferred.modules;
  const endingOnly = inferred.error !== undefined && modules.length === head.length;
  const error = bad ? (inferred.error && !endingOnly ? inferred.error : bad) : inferred.error;
  const rows = layers.map((layer, i): LayerRow => {
    const m = modules[i];
    const text = formatLayer(layer);
    return m
      ? { text, outputShape: m.outShape, parameters: trainable(m), multiplyAdds: moduleMultiplyAdds(m) }
      : { text };
  });
  return {
    rows,
    totalParameters: modules.reduce((n, m) => n + trainable(m), 0),
    multiplyAdds: modules.reduce((n, m) => n + moduleMultiplyAdds(m), 0),
    ...(error ? { problem: { layer: error.layer, reason: error.reason } } : {}),
  };
}

/**
 * The problem in one line, naming the layer by its Sequential index (as the editor numbers the
 * rows and the state_dict names them): `#8 Linear(128): Linear needs a flat input …`.
 */
export function problemMessage(report: LayerListReport): string | undefined {
  const p = report.problem;
  if (!p) return undefined;
  const row = report.rows[p.layer];
  return row ? `#${p.layer} ${row.text}: ${p.reason}` : p.reason;
}
