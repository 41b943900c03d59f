/** The files of a run folder (`train --save DIR`), by kind. */
export const RUN_FILES = {
  weights: 'model.safetensors',
  checkpoint: 'checkpoint.ckpt',
  onnx: 'model.onnx',
  verifyReport: 'verify-report.json',
  metrics: 'metrics.json',
  /** The PyTorch source of the model: NeuralNetwork().load_state_dict(…model.safetensors) works as is. */
  modelPy: 'model.py',
  /** --early-stop: the best epoch's weights (model.safetensors holds the last). */
  best: 'best.safetensors',
  curves: 'curves.png',
  confusion: 'confusion.png',
} as const;
export type RunFileKind = keyof typeof RUN_FILES;
