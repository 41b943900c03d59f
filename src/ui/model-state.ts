// The Model step's state: the spec, the selection, a layer list's rows and problem, the counts.
import { inspectLayers, problemMessage, type LayerListReport } from '../core/model/layer-report.js';
import {
  PRESETS,
  flopsPerSample,
  isLayerList,
  parameterCount,
  validateModelSpec,
  type ModelSpec,
  type PresetName,
} from '../core/model/spec.js';

export interface ModelState {
  readonly spec: ModelSpec;
  readonly preset: PresetName | 'custom';
  /**
   * Selected row: in the MLP form 0..hidden.length-1 for hidden layers, hidden.length for the
   * output layer; in a layer list, the layer.
   */
  readonly selected: number;
  /** A layer list's first row on screen (it scrolls when longer than the screen). */
  readonly scroll?: number;
  /** The picker of layer kinds is open on this entry of NEW_LAYERS (enter adds it after the selected layer). */
  readonly picker?: number;
  /** A layer list's rows (output shapes, parameters, multiply-adds) and the layer that breaks it. */
  readonly report?: LayerListReport;
  readonly parameterCount: number;
  readonly flops: number;
  /** Why the model cannot train (a layer list: the layer that breaks it and why). */
  readonly error?: string;
  /** The person's own layers, kept while p shows the presets (p brings them back after the last). */
  readonly custom?: ModelSpec;
}

export function presetOf(spec: ModelSpec): PresetName | 'custom' {
  for (const [name, p] of Object.entries(PRESETS) as [PresetName, ModelSpec][])
    if (JSON.stringify({ ...p, logSoftmax: false }) === JSON.stringify({ ...spec, logSoftmax: false })) return name;
  return 'custom';
}

/** The Model step's view of a spec; never throws (an invalid layer list is shown, not refused). */
export function modelState(spec: ModelSpec, selected = 0, scroll = 0): ModelState {
  const preset = presetOf(spec);
  if (isLayerList(spec)) {
    const report = inspectLayers(spec.layers);
    const error = problemMessage(report);
    return {
      spec,
      preset,
      selected: Math.max(0, Math.min(selected, spec.layers.length - 1)),
      scroll,
      report,
      parameterCount: report.totalParameters,
      flops: error ? 0 : flopsPerSample(spec),
      ...(error ? { error } : {}),
    };
  }
  let error: string | undefined;
  try {
    validateModelSpec(spec);
  } catch (err) {
    error = (err as Error).message;
  }
  return {
    spec,
    preset,
    selected: Math.min(selected, spec.hidden.length),
    parameterCount: error ? 0 : parameterCount(spec),
    flops: error ? 0 : flopsPerSample(spec),
    ...(error ? { error } : {}),
  };
}
