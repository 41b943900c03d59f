import { UsageError } from '../core/errors.js';
import type { LayerSpec } from '../core/model/layers.js';
import { parseLayersFlag } from '../core/model/parse-layers.js';
import { layerModules } from '../core/model/modules.js';
import { isLayerList, layerListSpec, validateModelSpec, type ModelSpec } from '../core/model/spec.js';

/** The MLP form's flags: they do not apply to a layer list. */
const MLP_FLAGS = ['hidden', 'activation', 'final-activation', 'dropout'] as const;

/**
 * The model of `--layers "…"` (or a layer-list preset such as cnn), or undefined for the MLP
 * form. One line with a caret under the bad layer for a bad string; the MLP flags are refused
 * beside a layer list (the list says it all). With NLL loss the list must end in LogSoftmax
 * (a preset gets one appended, and loses it again with another loss).
 */
export function layerSpecFromFlags(
  values: Readonly<Partial<Record<(typeof MLP_FLAGS)[number] | 'layers' | 'preset', string>>>,
  base: ModelSpec,
  loss: string,
): ModelSpec | undefined {
  if (values.layers === undefined && !isLayerList(base)) return undefined;
  const source =
    values.layers !== undefined ? '--layers' : values.preset !== undefined ? `--preset ${values.preset}` : 'the model';
  if (values.layers !== undefined && values.preset !== undefined)
    throw new UsageError(`--layers and --preset both set the model; give one of them`);
  const mlpFlag = MLP_FLAGS.find((f) => values[f] !== undefined);
  if (mlpFlag)
    throw new UsageError(`--${mlpFlag} shapes the MLP form; ${source} is a layer list: write the change in --layers`);
  let layers: LayerSpec[] =
    values.layers !== undefined
      ? parseLayersFlag('--layers', values.layers, (l) => void layerModules(l))
      : (base.layers ?? []).filter((l, i, all) => !(i === all.length - 1 && l.type === 'LogSoftmax' && loss !== 'nll'));
  const endsInLogSoftmax = layers.at(-1)?.type === 'LogSoftmax';
  if (loss === 'nll' && !endsInLogSoftmax) {
    if (values.layers !== undefined)
      throw new UsageError('--loss nll expects log-probabilities: end --layers with LogSoftmax');
    layers = [...layers, { type: 'LogSoftmax' }];
  }
  return validateModelSpec(layerListSpec(layers));
}
