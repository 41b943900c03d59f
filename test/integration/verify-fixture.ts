// A minimal hand-built ONNX model (Flatten → Gemm → Relu → … ) for testing the verify and
// predict plumbing independently of the engine's graph builder.
import onnxProto from 'onnx-proto';
import { stackModules, type ModelSpec } from '../../src/core/model/spec.js';
import type { NamedTensors } from '../../src/core/tensors.js';

const { onnx } = onnxProto;

export function tinyOnnx(spec: ModelSpec, parameters: NamedTensors, metadata: Record<string, string> = {}): Uint8Array {
  const nodes: InstanceType<typeof onnx.NodeProto>[] = [];
  let x = 'flat';
  nodes.push(
    onnx.NodeProto.create({
      opType: 'Flatten',
      input: ['input'],
      output: ['flat'],
      attribute: [{ name: 'axis', type: onnx.AttributeProto.AttributeType.INT, i: 1 }],
    }),
  );
  const mods = stackModules(spec);
  mods.forEach((m, k) => {
    const out = k === mods.length - 1 ? 'logits' : `h${k}`;
    if (m.kind === 'linear')
      nodes.push(
        onnx.NodeProto.create({
          opType: 'Gemm',
          input: [x, `linear_relu_stack.${m.index}.weight`, `linear_relu_stack.${m.index}.bias`],
          output: [out],
          attribute: [{ name: 'transB', type: onnx.AttributeProto.AttributeType.INT, i: 1 }],
        }),
      );
    else if (m.kind === 'activation' && m.activation === 'relu')
      nodes.push(onnx.NodeProto.create({ opType: 'Relu', input: [x], output: [out] }));
    else throw new Error('fixture supports linear and relu only');
    x = out;
  });
  const valueInfo = (name: string, dims: (number | string)[]) =>
    onnx.ValueInfoProto.create({
      name,
      type: {
        tensorType: {
          elemType: onnx.TensorProto.DataType.FLOAT,
          shape: { dim: dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })) },
        },
      },
    });
  const graph = onnx.GraphProto.create({
    name: 'fixture',
    node: nodes,
    input: [valueInfo('input', ['batch', 1, 28, 28])],
    output: [valueInfo('logits', ['batch', 10])],
    initializer: [...parameters].map(([name, t]) =>
      onnx.TensorProto.create({
        name,
        dims: [...t.shape],
        dataType: onnx.TensorProto.DataType.FLOAT,
        rawData: new Uint8Array(t.data.buffer.slice(0)),
      }),
    ),
  });
  const model = onnx.ModelProto.create({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 17 }],
    producerName: 'fixture',
    graph,
    metadataProps: Object.entries(metadata).map(([key, value]) => ({ key, value })),
  });
  return onnx.ModelProto.encode(model).finish();
}
