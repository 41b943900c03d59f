import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync, chmodSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PRESETS, parameterInfo, type ModelSpec } from '../../src/core/model/spec.js';
import { initParameters } from '../../src/core/model/init.js';
import { UserError } from '../../src/core/errors.js';
import {
  decodeSafetensors,
  encodeSafetensors,
  readWeights,
  writeWeights,
  SPEC_METADATA_KEY,
} from '../../src/io/safetensors.js';

const small: ModelSpec = {
  hidden: [{ units: 16, activation: 'relu', dropout: 0 }],
  finalActivation: 'none',
  logSoftmax: false,
};
const tmp = () => mkdtempSync(join(tmpdir(), 'fmnist-st-'));

async function rejectsWithLine(p: Promise<unknown>, pattern: RegExp) {
  await assert.rejects(p, (err: unknown) => {
    assert.ok(err instanceof UserError, `expected a UserError, got ${String(err)}`);
    assert.equal(err.message.split('\n').length, 1, 'one line');
    assert.match(err.message, pattern);
    return true;
  });
}

test('weights round-trip bit-exactly, in state_dict order, with the spec', async () => {
  const dir = tmp();
  const params = initParameters(PRESETS.seed, 7);
  // Values that catch sloppy conversions: denormals, -0, extremes survive (NaN is refused on load: hostile-files).
  const w = params.get('linear_relu_stack.0.weight')!.data;
  w.set([0, -0, 1e-45, -3.4028234663852886e38, 1 / 3, 1.1754943508222875e-38]);
  const path = join(dir, 'model.safetensors');
  await writeWeights(path, params, PRESETS.seed);
  const back = await readWeights(path);
  assert.deepEqual(back.spec, PRESETS.seed);
  assert.deepEqual(
    [...back.parameters.keys()],
    parameterInfo(PRESETS.seed).map((p) => p.name),
  );
  for (const [name, t] of params) {
    const b = back.parameters.get(name)!;
    assert.deepEqual(b.shape, t.shape);
    assert.deepEqual(Buffer.from(b.data.buffer), Buffer.from(t.data.buffer), name);
  }
  assert.deepEqual(readdirSync(dir), ['model.safetensors'], 'no temp files left');
});

test('the bytes follow the safetensors layout PyTorch reads (LE u64 header length, padded JSON, F32 LE data)', async () => {
  const dir = tmp();
  const params = initParameters(small, 1);
  const path = join(dir, 'w.safetensors');
  await writeWeights(path, params, small);
  const bytes = readFileSync(path);
  const n = Number(bytes.readBigUInt64LE(0));
  assert.equal(n % 8, 0, 'header padded to 8 bytes');
  const header = JSON.parse(bytes.subarray(8, 8 + n).toString('utf8'));
  assert.deepEqual(Object.keys(header), [
    '__metadata__',
    'linear_relu_stack.0.weight',
    'linear_relu_stack.0.bias',
    'linear_relu_stack.2.weight',
    'linear_relu_stack.2.bias',
  ]);
  assert.equal(header.__metadata__.format, 'pt');
  assert.deepEqual(JSON.parse(header.__metadata__[SPEC_METADATA_KEY]), small);
  assert.deepEqual(header['linear_relu_stack.0.weight'], {
    dtype: 'F32',
    shape: [16, 784],
    data_offsets: [0, 16 * 784 * 4],
  });
  assert.deepEqual(header['linear_relu_stack.2.bias'], {
    dtype: 'F32',
    shape: [10],
    data_offsets: [16 * 784 * 4 + 64 + 640, 16 * 784 * 4 + 64 + 640 + 40],
  });
  assert.equal(bytes.length, 8 + n + (16 * 784 + 16 + 10 * 16 + 10) * 4);
  const first = params.get('linear_relu_stack.0.weight')!.data[0];
  assert.equal(bytes.readFloatLE(8 + n), first);
  const lastBias = params.get('linear_relu_stack.2.bias')!.data[9];
  assert.equal(bytes.readFloatLE(bytes.length - 4), lastBias);
});

test('an existing file is replaced only with force', async () => {
  const dir = tmp();
  const path = join(dir, 'w.safetensors');
  writeFileSync(path, 'keep me');
  await rejectsWithLine(
    writeWeights(path, initParameters(small, 1), small),
    /already exists \(use --force to replace it\)/,
  );
  assert.equal(readFileSync(path, 'utf8'), 'keep me');
  await writeWeights(path, initParameters(small, 1), small, { force: true });
  assert.equal((await readWeights(path)).parameters.size, 4);
});

test('an unwritable directory gives one line and leaves nothing behind', {
  skip: process.getuid?.() === 0 ? 'root ignores permissions; covered by the not-a-directory case' : false,
}, async () => {
  const dir = tmp();
  const locked = join(dir, 'locked');
  mkdirSync(locked);
  chmodSync(locked, 0o500);
  await rejectsWithLine(
    writeWeights(join(locked, 'w.safetensors'), initParameters(small, 1), small),
    /cannot write .*permission denied/,
  );
  assert.deepEqual(readdirSync(locked), []);
});

test('a path under a file (not a directory) gives one line and leaves nothing behind', async () => {
  const dir = tmp();
  writeFileSync(join(dir, 'file'), 'x');
  await rejectsWithLine(
    writeWeights(join(dir, 'file', 'w.safetensors'), initParameters(small, 1), small),
    /cannot (write|create directory)/,
  );
  assert.deepEqual(readdirSync(dir), ['file']);
});

test('bad inputs each give one clear line', async (t) => {
  const dir = tmp();
  const good = join(dir, 'good.safetensors');
  await writeWeights(good, initParameters(small, 1), small);
  const goodBytes = readFileSync(good);
  const write = (name: string, bytes: Uint8Array | string) => {
    const p = join(dir, name);
    writeFileSync(p, bytes);
    return p;
  };
  const n = Number(goodBytes.readBigUInt64LE(0));
  const headerWith = (mutate: (h: Record<string, any>) => void) => {
    const h = JSON.parse(goodBytes.subarray(8, 8 + n).toString('utf8'));
    mutate(h);
    const json = Buffer.from(JSON.stringify(h));
    const len = Buffer.alloc(8);
    len.writeBigUInt64LE(BigInt(json.length));
    return Buffer.concat([len, json, goodBytes.subarray(8 + n)]);
  };
  const cases: [string, string, RegExp, ModelSpec?][] = [
    ['missing file', join(dir, 'nope.safetensors'), /cannot read .*nope\.safetensors: no such file or directory/],
    ['a directory', dir, /cannot read .*: it is a folder, not a regular file/],
    ['empty file', write('empty', ''), /is not a safetensors file \(only 0 bytes\)/],
    [
      'a PNG',
      write('x.png', Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex')),
      /is not a safetensors file \(header length \d+ is implausible\)/,
    ],
    ['a text file', write('notes.txt', 'hello world, this is not a tensor file at all\n'), /is not a safetensors file/],
    [
      'truncated data',
      write('trunc', goodBytes.subarray(0, goodBytes.length - 100)),
      /is truncated: the header promises \d+ bytes of tensor data but the file has \d+/,
    ],
    ['truncated header', write('trunc-h', goodBytes.subarray(0, 40)), /is truncated: its header needs/],
    [
      'trailing bytes',
      write('long', Buffer.concat([goodBytes, Buffer.alloc(4)])),
      /4 unexpected bytes after the tensor data/,
    ],
    [
      'header not JSON',
      write(
        'badjson',
        (() => {
          const b = Buffer.from(goodBytes);
          b[9] = 0x21;
          return b;
        })(),
      ),
      /header is not valid JSON/,
    ],
    [
      'F16 dtype',
      write(
        'f16',
        headerWith((h) => (h['linear_relu_stack.0.bias'].dtype = 'F16')),
      ),
      /tensor 'linear_relu_stack\.0\.bias' is F16; fmnist-tui reads float32/,
    ],
    [
      'wrong shape for the spec',
      good,
      /does not match the model: 'linear_relu_stack\.0\.weight' has shape \[16, 784\], the model needs \[512, 784\]/,
      PRESETS.seed,
    ],
    [
      'missing tensor',
      write(
        'missing',
        headerWith((h) => {
          h['extra.bias'] = h['linear_relu_stack.2.bias'];
          delete h['linear_relu_stack.2.bias'];
        }),
      ),
      /tensor 'linear_relu_stack\.2\.bias' is missing/,
    ],
    [
      'offsets with a gap',
      write(
        'gap',
        headerWith((h) => (h['linear_relu_stack.0.weight'].data_offsets = [4, 16 * 784 * 4 + 4])),
      ),
      /data offsets .* do not follow/,
    ],
    [
      'spec metadata corrupt',
      write(
        'badspec',
        headerWith((h) => (h.__metadata__[SPEC_METADATA_KEY] = '{"hidden": 3')),
      ),
      /model spec in its metadata is not valid JSON/,
    ],
    [
      'no spec and none given',
      write('nospec', encodeSafetensors(initParameters(small, 1))),
      /has no fmnist-tui model spec in its metadata/,
    ],
  ];
  for (const [name, path, pattern, spec] of cases) {
    await t.test(name, () => rejectsWithLine(readWeights(path, spec), pattern));
  }
});

test('a file written by another tool reads when the spec is given', async () => {
  const dir = tmp();
  const path = join(dir, 'other.safetensors');
  const params = initParameters(small, 3);
  writeFileSync(path, encodeSafetensors(params));
  const back = await readWeights(path, small);
  assert.equal(back.spec, undefined);
  assert.deepEqual(
    [...back.parameters.get('linear_relu_stack.2.bias')!.data],
    [...params.get('linear_relu_stack.2.bias')!.data],
  );
});

test('reads a file written by the reference implementation (safetensors 0.8.0, save_file)', async () => {
  // safetensors.torch.save_file({'b.bias': [1.5, -2.25, 3], 'a.weight': arange(6).reshape(2, 3) / 4},
  //   metadata={'format': 'pt', 'note': …}): tensors sorted by name, header padded with spaces.
  const bytes = Buffer.from(
    'yAAAAAAAAAB7Il9fbWV0YWRhdGFfXyI6eyJmb3JtYXQiOiJwdCIsIm5vdGUiOiJ3cml0dGVuIGJ5IHNhZmV0ZW5zb3JzIDAuOC4w' +
      'In0sImEud2VpZ2h0Ijp7ImR0eXBlIjoiRjMyIiwic2hhcGUiOlsyLDNdLCJkYXRhX29mZnNldHMiOlswLDI0XX0sImIuYmlhcyI6' +
      'eyJkdHlwZSI6IkYzMiIsInNoYXBlIjpbM10sImRhdGFfb2Zmc2V0cyI6WzI0LDM2XX19ICAgICAgIAAAAAAAAIA+AAAAPwAAQD8A' +
      'AIA/AACgPwAAwD8AABDAAABAQA==',
    'base64',
  );
  const { tensors, metadata } = decodeSafetensors(bytes, 'reference.safetensors');
  assert.deepEqual(metadata, { format: 'pt', note: 'written by safetensors 0.8.0' });
  assert.deepEqual(tensors.get('a.weight'), { shape: [2, 3], data: new Float32Array([0, 0.25, 0.5, 0.75, 1, 1.25]) });
  assert.deepEqual(tensors.get('b.bias'), { shape: [3], data: new Float32Array([1.5, -2.25, 3]) });
  // And what we write for the same tensors (in our order) is what that library reads back (checked by hand with load_file).
  const ours = encodeSafetensors(
    new Map([
      ['a.weight', tensors.get('a.weight')!],
      ['b.bias', tensors.get('b.bias')!],
    ]),
    metadata,
  );
  assert.deepEqual(
    Buffer.from(ours.subarray(Number(Buffer.from(ours).readBigUInt64LE(0)) + 8)),
    bytes.subarray(8 + 0xc8),
    'same data section',
  );
});
