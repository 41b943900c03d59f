import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;
export { onnx };

/** ONNX element types used here (onnx.TensorProto.DataType). */
export const DT = {
  float: onnx.TensorProto.DataType.FLOAT,
  uint8: onnx.TensorProto.DataType.UINT8,
  int32: onnx.TensorProto.DataType.INT32,
  int64: onnx.TensorProto.DataType.INT64,
  bool: onnx.TensorProto.DataType.BOOL,
} as const;
export type ElemType = (typeof DT)[keyof typeof DT];

export const OPSET = 17;
export const IR_VERSION = 8;
export const PRODUCER_NAME = 'fmnist-tui';

/** A dimension: a fixed size or a symbolic name such as 'batch'. */
export type Dim = number | string;

export function valueInfo(
  name: string,
  elemType: ElemType,
  dims: readonly Dim[] | null,
  docString?: string,
): onnxProto.onnx.IValueInfoProto {
  return {
    name,
    docString: docString ?? null,
    type: {
      tensorType: {
        elemType,
        shape:
          dims === null ? null : { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

type TypedData = Float32Array | Uint8Array | Int32Array | BigInt64Array;

/** A TensorProto with raw little-endian data (x86/ARM are little-endian, as ONNX requires). */
export function tensorProto(
  name: string,
  elemType: ElemType,
  dims: readonly number[],
  data: TypedData,
  docString?: string,
): onnxProto.onnx.ITensorProto {
  return {
    name,
    dataType: elemType,
    dims: [...dims],
    rawData: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
    docString: docString ?? null,
  };
}

export type AttributeValue =
  | number
  | readonly number[]
  | string
  | onnxProto.onnx.IGraphProto
  | { readonly int: number }
  | { readonly tensor: onnxProto.onnx.ITensorProto };

function attribute(name: string, value: AttributeValue): onnxProto.onnx.IAttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  if (typeof value === 'number')
    return Number.isInteger(value) ? { name, type: T.INT, i: value } : { name, type: T.FLOAT, f: value };
  if (typeof value === 'string') return { name, type: T.STRING, s: new TextEncoder().encode(value) };
  if (Array.isArray(value)) return { name, type: T.INTS, ints: [...(value as number[])] };
  if ('int' in value) return { name, type: T.INT, i: (value as { int: number }).int };
  if ('tensor' in value) return { name, type: T.TENSOR, t: (value as { tensor: onnxProto.onnx.ITensorProto }).tensor };
  return { name, type: T.GRAPH, g: value as onnxProto.onnx.IGraphProto };
}

/** Float attributes that happen to be whole numbers (alpha: 1) must still be FLOAT: wrap them. */
export const float = (f: number) => ({ float: f });

/**
 * Accumulates the nodes of one graph (a model's main graph or a Loop body) with fresh value
 * names. Constants become Constant nodes, so a body graph is self-contained.
 */
export class GraphBuilder {
  readonly nodes: onnxProto.onnx.INodeProto[] = [];
  readonly initializers: onnxProto.onnx.ITensorProto[] = [];
  private counter = 0;
  private readonly constants = new Map<string, string>();

  constructor(private readonly prefix = '') {}

  fresh(hint: string): string {
    return `${this.prefix}${hint}_${this.counter++}`;
  }

  /** Adds a node and returns its output names (`outputs` fixed names or a count of fresh ones). */
  node(
    opType: string,
    inputs: readonly string[],
    attrs: Record<string, AttributeValue | { float: number }> = {},
    outputs: readonly string[] | number = 1,
  ): string[] {
    const outs =
      typeof outputs === 'number'
        ? Array.from({ length: outputs }, () => this.fresh(opType.toLowerCase()))
        : [...outputs];
    this.nodes.push({
      opType,
      name: this.fresh(`n_${opType}`),
      input: [...inputs],
      output: outs,
      attribute: Object.entries(attrs).map(([k, v]) =>
        typeof v === 'object' && v !== null && 'float' in v
          ? { name: k, type: onnx.AttributeProto.AttributeType.FLOAT, f: v.float }
          : attribute(k, v as AttributeValue),
      ),
    });
    return outs;
  }

  /** One-output node. */
  op(
    opType: string,
    inputs: readonly string[],
    attrs: Record<string, AttributeValue | { float: number }> = {},
    output?: string,
  ): string {
    return this.node(opType, inputs, attrs, output === undefined ? 1 : [output])[0];
  }

  private constant(key: string, tensor: onnxProto.onnx.ITensorProto): string {
    const known = this.constants.get(key);
    if (known) return known;
    const name = this.op('Constant', [], { value: { tensor } });
    this.constants.set(key, name);
    return name;
  }

  /** A float32 constant: a scalar, or a 1-D tensor for an array. */
  constFloat(value: number | readonly number[]): string {
    const data = Float32Array.from(typeof value === 'number' ? [value] : value);
    const dims = typeof value === 'number' ? [] : [data.length];
    return this.constant(`f:${dims.length}:${Array.from(data).join(',')}`, tensorProto('', DT.float, dims, data));
  }

  constInt64(value: number | readonly number[]): string {
    const data = BigInt64Array.from((typeof value === 'number' ? [value] : value).map((v) => BigInt(v)));
    const dims = typeof value === 'number' ? [] : [data.length];
    return this.constant(`i64:${dims.length}:${Array.from(data).join(',')}`, tensorProto('', DT.int64, dims, data));
  }

  constInt32(value: readonly number[]): string {
    const data = Int32Array.from(value);
    return this.constant(`i32:1:${Array.from(data).join(',')}`, tensorProto('', DT.int32, [data.length], data));
  }

  graph(
    name: string,
    inputs: onnxProto.onnx.IValueInfoProto[],
    outputs: onnxProto.onnx.IValueInfoProto[],
    docString?: string,
  ): onnxProto.onnx.IGraphProto {
    return {
      name,
      node: this.nodes,
      initializer: this.initializers,
      input: inputs,
      output: outputs,
      docString: docString ?? null,
    };
  }
}

export interface ModelOptions {
  readonly docString?: string;
  readonly metadata?: Record<string, string>;
  readonly producerVersion?: string;
}

/** Serialises a main graph as an opset-17, IR-version-8 ModelProto. */
export function encodeModel(graph: onnxProto.onnx.IGraphProto, options: ModelOptions = {}): Uint8Array {
  const model = onnx.ModelProto.create({
    irVersion: IR_VERSION,
    opsetImport: [{ domain: '', version: OPSET }],
    producerName: PRODUCER_NAME,
    producerVersion: options.producerVersion ?? '',
    docString: options.docString ?? '',
    graph,
    metadataProps: Object.entries(options.metadata ?? {}).map(([key, value]) => ({ key, value })),
  });
  return onnx.ModelProto.encode(model).finish();
}
