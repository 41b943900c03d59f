/** A named float32 tensor, row-major. Weights are [out, in] like PyTorch's nn.Linear. */
export interface Tensor {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

/** Parameters (or optimizer state) keyed by PyTorch state_dict names, in state_dict order. */
export type NamedTensors = Map<string, Tensor>;

export function tensorSize(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** The tensor has exactly this shape (and as many values as the shape holds). */
export function hasShape(t: Tensor, shape: readonly number[]): boolean {
  return (
    t.shape.length === shape.length && t.shape.every((d, i) => d === shape[i]) && t.data.length === tensorSize(shape)
  );
}

export function cloneTensors(tensors: NamedTensors): NamedTensors {
  const out: NamedTensors = new Map();
  for (const [name, t] of tensors) out.set(name, { shape: [...t.shape], data: new Float32Array(t.data) });
  return out;
}
