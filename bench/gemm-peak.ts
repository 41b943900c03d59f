// The machine's limit for the ONNX engine: onnxruntime-node's own float32 GEMM rate on one
// large MatMul (2048³ by default), best of several runs, with the engine's session options and
// thread count. The engine bench divides its training figures by it ("of peak").
import * as ort from 'onnxruntime-node';
import { DT, encodeModel, GraphBuilder, valueInfo } from '../src/core/onnx/builder.js';
import { onnxSessionOptions } from '../src/engines/onnx-engine.js';

export interface GemmPeak {
  /** Best rate of `runs` runs, GFLOP/s. */
  measure(runs?: number): Promise<number>;
  readonly size: number;
  release(): Promise<void>;
}

export async function createGemmPeak(threads: number, spinning: boolean, size = 2048): Promise<GemmPeak> {
  const g = new GraphBuilder();
  g.op('MatMul', ['a', 'b'], {}, 'c');
  const square = [size, size];
  const graph = g.graph(
    'gemm_peak',
    [valueInfo('a', DT.float, square), valueInfo('b', DT.float, square)],
    [valueInfo('c', DT.float, square)],
  );
  const session = await ort.InferenceSession.create(encodeModel(graph), onnxSessionOptions(threads, spinning));
  // Values in [-0.5, 0.5): no denormals, no overflow; the rate does not depend on them.
  const data = () => Float32Array.from({ length: size * size }, (_, i) => ((i * 2654435761) % 1000) / 1000 - 0.5);
  const feeds = { a: new ort.Tensor('float32', data(), square), b: new ort.Tensor('float32', data(), square) };
  await session.run(feeds); // warm-up: first-run allocations
  return {
    size,
    async measure(runs = 5) {
      let best = 0;
      for (let r = 0; r < runs; r++) {
        const t0 = performance.now();
        await session.run(feeds);
        best = Math.max(best, (2 * size ** 3) / ((performance.now() - t0) / 1000) / 1e9);
      }
      return best;
    },
    release: () => session.release(),
  };
}
