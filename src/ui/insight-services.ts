// The insight views' side of the services: the exported model's analysis for the Verify step,
// and the past runs for the Runs view. Loaded on first use.
import { analyzeLogits, type ModelAnalysis } from '../core/analysis/analysis.js';
import type { Split } from '../core/dataset/types.js';
import type { RunRecord } from '../core/runs/record.js';
import { splitLogits } from '../io/model-logits.js';
import { openOnnxModel } from '../io/onnx-model.js';
import { findRunFolders, readRuns } from '../io/run-history.js';

/** Confusion matrix, per-class scores and the 30 worst mistakes of the exported model on `test`. */
export async function analyzeExport(onnxPath: string, test: Split): Promise<ModelAnalysis> {
  const model = await openOnnxModel(onnxPath);
  try {
    return analyzeLogits(await splitLogits(model, test), test.labels, test.count, { topLosses: 30 });
  } finally {
    await model.release();
  }
}

/** Every run folder under `root`, newest last (a missing root is no runs yet). */
export async function listRuns(root: string): Promise<readonly RunRecord[]> {
  const { dirs } = await findRunFolders([root]);
  return readRuns(dirs);
}
