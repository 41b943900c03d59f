/** The files of a run folder (`train --save DIR`), by kind. */
export const RUN_FILES = {
  weights: 'model.safetensors',
  checkpoint: 'checkpoint.ckpt',
  onnx: 'model.onnx',
  verifyReport: 'verify-report.json',
  metrics: 'metrics.json',
} as const;
export type RunFileKind = keyof typeof RUN_FILES;
