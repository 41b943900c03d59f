/**
 * The safetensors format (https://github.com/huggingface/safetensors), written by hand: it is
 * tiny and no well-kept npm package fits (none in the registry list we may use).
 *
 * Layout: 8 bytes little-endian u64 N, then N bytes of UTF-8 JSON header (padded with spaces
 * to a multiple of 8 so the data is aligned, as the Rust writer does), then the raw tensor
 * bytes. The header maps each tensor name to { dtype, shape, data_offsets: [begin, end] }
 * (offsets relative to the start of the data) and may hold `__metadata__`: a string→string map.
 *
 * Weights files hold the PyTorch state_dict (F32, names and shapes as nn.Linear has them),
 * so `model.load_state_dict(safetensors.torch.load_file(path))` loads them unchanged; the
 * model spec goes in `__metadata__` under `fmnist_tui.spec`.
 */
import { endianness } from 'node:os';
import { UserError } from '../core/errors.js';
import { parameterInfo, validateModelSpec, type ModelSpec } from '../core/model/spec.js';
import { hasShape, tensorSize, type NamedTensors } from '../core/tensors.js';
import { formatBytes, readFileBytes } from './file-bytes.js';
import { writeFileAtomic } from './atomic.js';

export { MAX_MODEL_FILE_BYTES, readFileBytes } from './file-bytes.js';

/** `__metadata__` key holding the model spec as JSON. */
export const SPEC_METADATA_KEY = 'fmnist_tui.spec';
/** `__metadata__` key naming what the file is: 'weights' or 'checkpoint'. */
export const KIND_METADATA_KEY = 'fmnist_tui.kind';
/** Tensor-name prefix of optimizer buffers in a checkpoint. */
export const OPTIMIZER_PREFIX = 'optimizer/';
/** Largest header we accept (the Rust reader's limit is 100 MB). */
const MAX_HEADER_BYTES = 100_000_000;
const LITTLE_ENDIAN_HOST = endianness() === 'LE';

export type SafetensorsMetadata = Record<string, string>;

export interface SafetensorsContents {
  readonly tensors: NamedTensors;
  readonly metadata: SafetensorsMetadata;
}

/** Encode F32 tensors (in map order) and string metadata as safetensors bytes. */
export function encodeSafetensors(tensors: NamedTensors, metadata: SafetensorsMetadata = {}): Uint8Array {
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  let offset = 0;
  for (const [name, t] of tensors) {
    if (name === '__metadata__') throw new Error('a tensor cannot be named __metadata__');
    const bytes = tensorSize(t.shape) * 4;
    if (t.data.length * 4 !== bytes)
      throw new Error(`tensor ${name}: ${t.data.length} values for shape [${t.shape.join(', ')}]`);
    header[name] = { dtype: 'F32', shape: [...t.shape], data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  let json = JSON.stringify(header);
  const jsonBytes = Buffer.byteLength(json, 'utf8');
  json += ' '.repeat((8 - (jsonBytes % 8)) % 8);
  const headerBytes = Buffer.from(json, 'utf8');
  // Never write what decodeSafetensors would refuse to read back.
  if (headerBytes.length > MAX_HEADER_BYTES)
    throw new UserError(
      `the file's header would be ${formatBytes(headerBytes.length)}, over the ${formatBytes(MAX_HEADER_BYTES)} ` +
        'fmnist-tui reads back; nothing was written',
    );
  const out = Buffer.alloc(8 + headerBytes.length + offset);
  out.writeBigUInt64LE(BigInt(headerBytes.length), 0);
  headerBytes.copy(out, 8);
  let at = 8 + headerBytes.length;
  for (const t of tensors.values()) {
    const src = Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength);
    if (LITTLE_ENDIAN_HOST) src.copy(out, at);
    else for (let i = 0; i < t.data.length; i++) out.writeFloatLE(t.data[i], at + i * 4);
    at += t.data.byteLength;
  }
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

interface HeaderEntry {
  dtype: string;
  shape: number[];
  data_offsets: [number, number];
}

/**
 * Decode safetensors bytes, checking everything the format promises: header length and JSON,
 * dtype (F32 only), shapes, offsets that tile the data exactly, and the file's length.
 * `what` names the file in error messages. Throws a one-line UserError.
 */
export function decodeSafetensors(bytes: Uint8Array, what: string): SafetensorsContents {
  const notSafetensors = (why: string) => new UserError(`${what} is not a safetensors file (${why})`);
  if (bytes.length < 8) throw notSafetensors(`only ${bytes.length} bytes`);
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = buf.readBigUInt64LE(0);
  if (n < 2n || n > BigInt(MAX_HEADER_BYTES)) throw notSafetensors(`header length ${n} is implausible`);
  const headerLength = Number(n);
  if (8 + headerLength > buf.length)
    throw new UserError(
      `${what} is truncated: its header needs ${headerLength} bytes but the file has ${buf.length - 8} after the length`,
    );
  const headerText = buf.subarray(8, 8 + headerLength).toString('utf8');
  if (!headerText.startsWith('{')) throw notSafetensors('header does not start with {');
  let header: unknown;
  try {
    header = JSON.parse(headerText);
  } catch {
    throw notSafetensors('header is not valid JSON');
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header))
    throw notSafetensors('header is not a JSON object');

  const metadata: SafetensorsMetadata = {};
  const entries: [string, HeaderEntry][] = [];
  for (const [name, value] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (value === null || typeof value !== 'object' || Array.isArray(value))
        throw notSafetensors('__metadata__ is not an object');
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        if (typeof v !== 'string') throw notSafetensors(`metadata '${k}' is not a string`);
        metadata[k] = v;
      }
      continue;
    }
    const e = value as Partial<HeaderEntry> | null;
    if (
      e === null ||
      typeof e !== 'object' ||
      typeof e.dtype !== 'string' ||
      !Array.isArray(e.shape) ||
      !e.shape.every((d) => Number.isSafeInteger(d) && d >= 0) ||
      !Array.isArray(e.data_offsets) ||
      e.data_offsets.length !== 2 ||
      !e.data_offsets.every((o) => Number.isSafeInteger(o) && o >= 0)
    )
      throw notSafetensors(`entry '${name}' lacks a valid dtype, shape or data_offsets`);
    entries.push([name, e as HeaderEntry]);
  }

  const dataStart = 8 + headerLength;
  const dataLength = buf.length - dataStart;
  // Offsets must tile [0, total) with no gaps or overlaps (the Rust reader's rule).
  const byOffset = [...entries].sort((a, b) => a[1].data_offsets[0] - b[1].data_offsets[0]);
  let expected = 0;
  for (const [name, e] of byOffset) {
    const [begin, end] = e.data_offsets;
    if (begin !== expected || end < begin)
      throw notSafetensors(
        `tensor '${name}' has data offsets [${begin}, ${end}] that do not follow the previous tensor`,
      );
    if (e.dtype !== 'F32')
      throw new UserError(`${what}: tensor '${name}' is ${e.dtype}; fmnist-tui reads float32 (F32) tensors only`);
    if (end - begin !== tensorSize(e.shape) * 4)
      throw notSafetensors(`tensor '${name}' has ${end - begin} bytes for shape [${e.shape.join(', ')}]`);
    expected = end;
  }
  if (expected > dataLength)
    throw new UserError(
      `${what} is truncated: the header promises ${expected} bytes of tensor data but the file has ${dataLength}`,
    );
  if (expected < dataLength) throw notSafetensors(`${dataLength - expected} unexpected bytes after the tensor data`);

  const tensors: NamedTensors = new Map();
  for (const [name, e] of entries) {
    const [begin, end] = e.data_offsets;
    const data = new Float32Array((end - begin) / 4);
    const src = buf.subarray(dataStart + begin, dataStart + end);
    if (LITTLE_ENDIAN_HOST) Buffer.from(data.buffer).set(src);
    else for (let i = 0; i < data.length; i++) data[i] = src.readFloatLE(i * 4);
    tensors.set(name, { shape: [...e.shape], data });
  }
  return { tensors, metadata };
}

/** Parse the spec stored in a file's metadata; `what` names the file in errors. */
export function specFromMetadata(metadata: SafetensorsMetadata, what: string): ModelSpec | undefined {
  const text = metadata[SPEC_METADATA_KEY];
  if (text === undefined) return undefined;
  let spec: ModelSpec;
  try {
    spec = JSON.parse(text) as ModelSpec;
  } catch {
    throw new UserError(`${what}: the model spec in its metadata is not valid JSON`);
  }
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec))
    throw new UserError(`${what}: the model spec in its metadata is not an object (got ${JSON.stringify(spec)})`);
  try {
    return validateModelSpec(spec);
  } catch (err) {
    throw new UserError(`${what}: the model spec in its metadata is invalid: ${(err as Error).message}`);
  }
}

/**
 * Check that `tensors` are exactly the spec's parameters (names, shapes) and return them
 * in state_dict order. One line naming the first mismatch.
 */
export function checkParameters(tensors: NamedTensors, spec: ModelSpec, what: string): NamedTensors {
  const expected = parameterInfo(spec);
  const out: NamedTensors = new Map();
  for (const p of expected) {
    const t = tensors.get(p.name);
    if (!t) throw new UserError(`${what} does not match the model: tensor '${p.name}' is missing`);
    if (!hasShape(t, p.shape))
      throw new UserError(
        `${what} does not match the model: '${p.name}' has shape [${t.shape.join(', ')}], the model needs [${p.shape.join(', ')}]`,
      );
    out.set(p.name, t);
  }
  const extra = [...tensors.keys()].filter((name) => !out.has(name));
  if (extra.length > 0)
    throw new UserError(
      `${what} does not match the model: unexpected tensor '${extra[0]}'${extra.length > 1 ? ` (and ${extra.length - 1} more)` : ''}`,
    );
  return out;
}

/**
 * Refuse NaN/±Infinity weights (a diverged or damaged model): they would export and predict
 * "NaN%". One line naming the tensor and the first bad index.
 */
export function assertFiniteTensors(tensors: NamedTensors, what: string): void {
  for (const [name, t] of tensors) {
    const i = t.data.findIndex((v) => !Number.isFinite(v));
    if (i >= 0)
      throw new UserError(
        `${what}: tensor '${name}' holds ${t.data[i]} (at index ${i}); weights must be finite numbers ` +
          '(the run that wrote it diverged, or the file is damaged)',
      );
  }
}

/** What readWeights returns. */
export interface WeightsFile {
  readonly parameters: NamedTensors;
  /** The spec from the file's metadata (absent in files written by other tools). */
  readonly spec?: ModelSpec;
}

/**
 * Write the model's parameters as a safetensors file PyTorch loads unchanged, with the spec
 * in the metadata. Atomic; an existing file is replaced only with `force`.
 */
export async function writeWeights(
  path: string,
  parameters: NamedTensors,
  spec: ModelSpec,
  options: { force?: boolean } = {},
): Promise<void> {
  const ordered = checkParameters(parameters, spec, 'the weights to save');
  const bytes = encodeSafetensors(ordered, {
    format: 'pt',
    [KIND_METADATA_KEY]: 'weights',
    [SPEC_METADATA_KEY]: JSON.stringify(spec),
  });
  await writeFileAtomic(path, bytes, { force: options.force, mkdirs: true });
}

/**
 * Read a weights file (or the parameters of a checkpoint). Validates the format, and the
 * names and shapes against `spec` when given, else against the spec in the file's metadata.
 * Throws a one-line UserError for anything wrong.
 */
export async function readWeights(path: string, spec?: ModelSpec): Promise<WeightsFile> {
  const { tensors, metadata } = decodeSafetensors(await readFileBytes(path), path);
  const fileSpec = specFromMetadata(metadata, path);
  const checkAgainst = spec ?? fileSpec;
  if (!checkAgainst)
    throw new UserError(
      `${path} has no fmnist-tui model spec in its metadata; pass the model (e.g. --preset) to read it`,
    );
  let params = tensors;
  if (metadata[KIND_METADATA_KEY] === 'checkpoint') {
    // A checkpoint holds the parameters under their own names plus `optimizer/…` buffers.
    params = new Map([...tensors].filter(([name]) => !name.startsWith(OPTIMIZER_PREFIX)));
  }
  const parameters = checkParameters(params, checkAgainst, path);
  assertFiniteTensors(parameters, path);
  return { parameters, spec: fileSpec };
}
