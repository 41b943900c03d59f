import './no-telemetry.js'; // before onnxruntime-node: no device id, no telemetry
import type * as ort from 'onnxruntime-node';
import { UserError } from '../../core/errors.js';
import { hasShape, tensorSize, type NamedTensors } from '../../core/tensors.js';
import type { OptimizerState } from '../../core/train/engine.js';
import type { TrainingModel } from '../../core/onnx/training.js';
import { floatTensor } from './session.js';

/** Like torch's state: empty before the first step, then every buffer as `<buffer>/<parameter>`. */
export function readOptimizerState(
  stateInfos: TrainingModel['state'],
  state: ReadonlyMap<string, ort.Tensor>,
  steps: number,
): OptimizerState {
  const tensors: NamedTensors = new Map();
  if (steps > 0)
    for (const s of stateInfos)
      tensors.set(s.key, {
        shape: [...s.shape],
        data: new Float32Array(state.get(s.key)!.data as Float32Array),
      });
  return { step: steps, tensors };
}

/** The optimizer buffers for a state from getOptimizerState (of either engine); at step 0 they start from zero as in torch. */
export function restoreOptimizerState(
  stateInfos: TrainingModel['state'],
  state: OptimizerState,
  optimizerKind: string,
): Map<string, ort.Tensor> {
  if (!Number.isInteger(state.step) || state.step < 0)
    throw new UserError(`optimizer state: step must be a whole number of at least 0 (got ${state.step})`);
  const next = new Map<string, ort.Tensor>();
  for (const s of stateInfos) {
    const t = state.tensors.get(s.key);
    // Before the first step torch has no buffers: start them from zero (SGD's first step relies on it).
    if (!t || state.step === 0) {
      if (state.step > 0)
        throw new UserError(
          `optimizer state has no '${s.key}' (saved with different ${optimizerKind} settings?); start without the optimizer state`,
        );
      next.set(s.key, floatTensor(new Float32Array(tensorSize(s.shape)), s.shape));
      continue;
    }
    if (!hasShape(t, s.shape))
      throw new UserError(
        `optimizer state '${s.key}' has shape [${t.shape.join(', ')}], the model needs [${s.shape.join(', ')}]`,
      );
    next.set(s.key, floatTensor(new Float32Array(t.data), s.shape));
  }
  return next;
}
