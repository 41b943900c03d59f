import { tensorSize } from '../tensors.js';
import { moduleLabel, moduleMultiplyAdds, moduleParameters } from './modules.js';
import {
  describeModel,
  isLayerList,
  multiplyAddsPerSample,
  parameterCount,
  stackModules,
  type ModelSpec,
} from './spec.js';

/** One row of a model summary (torchinfo's columns). */
export interface SummaryRow {
  /** Sequential index and state_dict prefix, e.g. `layers.4`. */
  readonly name: string;
  /** The layer as the --layers syntax writes it, e.g. `Conv2d(32,3,padding=1)`. */
  readonly layer: string;
  /** Output shape with the batch dimension, e.g. [-1, 32, 28, 28] (-1: any batch). */
  readonly outputShape: readonly number[];
  /** Trainable parameters. */
  readonly parameters: number;
  /** Multiply-adds per image. */
  readonly multiplyAdds: number;
}

export interface ModelSummary {
  /** The model in one line (the --layers string for a layer list). */
  readonly model: string;
  readonly form: 'layers' | 'mlp';
  readonly inputShape: readonly number[];
  readonly rows: readonly SummaryRow[];
  readonly totalParameters: number;
  /** Multiply-adds per image, forward pass. */
  readonly multiplyAdds: number;
  /** float32 parameters and running statistics, bytes. */
  readonly parameterBytes: number;
}

/** What `fmnist-tui model` prints: every module's output shape, parameters and multiply-adds, and the totals. */
export function summarizeModel(spec: ModelSpec): ModelSummary {
  const modules = stackModules(spec);
  const rows: SummaryRow[] = modules.map((m) => ({
    name: m.name,
    layer: moduleLabel(m),
    outputShape: [-1, ...m.outShape],
    parameters: moduleParameters(m)
      .filter((p) => !p.buffer)
      .reduce((n, p) => n + tensorSize(p.shape), 0),
    multiplyAdds: moduleMultiplyAdds(m),
  }));
  const stored = modules.flatMap(moduleParameters).reduce((n, p) => n + tensorSize(p.shape), 0);
  return {
    model: describeModel(spec),
    form: isLayerList(spec) ? 'layers' : 'mlp',
    inputShape: [-1, 1, 28, 28],
    rows,
    totalParameters: parameterCount(spec),
    multiplyAdds: multiplyAddsPerSample(spec),
    parameterBytes: stored * 4,
  };
}

const n = (v: number) => v.toLocaleString('en-US');
const shape = (s: readonly number[]) => `[${s.join(', ')}]`;

/** The summary as a table like torchinfo's, fitting 80 columns for small models. */
export function formatSummary(s: ModelSummary): string {
  const header = ['Layer (name)', 'Output shape', 'Param #', 'Mult-adds'];
  const body = s.rows.map((r) => [
    `${r.layer} (${r.name})`,
    shape(r.outputShape),
    r.parameters ? n(r.parameters) : '--',
    r.multiplyAdds ? n(r.multiplyAdds) : '--',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  const rule = '='.repeat(widths.reduce((a, b) => a + b, 0) + 2 * (widths.length - 1));
  return [
    rule,
    line(header),
    rule,
    `Input ${shape(s.inputShape)} (pixel / 255)`,
    ...body.map(line),
    rule,
    `Total params: ${n(s.totalParameters)}`,
    `Mult-adds per image: ${n(s.multiplyAdds)} (${(s.multiplyAdds / 1e6).toFixed(2)} M)`,
    `Params size: ${(s.parameterBytes / 1e6).toFixed(2)} MB (float32)`,
    rule,
    '',
  ].join('\n');
}
