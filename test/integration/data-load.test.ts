// loadDataset on real files: the full set (when Debian's package is installed), the embedded
// sample, and damaged data dirs / caches / system copies built in temp dirs from the sample.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { IDX_FILES, parseChecksumLines, SAMPLE_DIGESTS, FULL_DIGESTS } from '../../src/core/dataset/files.js';
import { encodeIdxLabels } from '../../src/core/dataset/idx.js';
import type { DataProgress } from '../../src/core/dataset/progress.js';
import { UserError } from '../../src/core/errors.js';
import { loadDataset } from '../../src/io/data/load.js';
import { cacheDataDir, embeddedDataDir, SYSTEM_DATA_DIR } from '../../src/io/data/paths.js';

const sample = embeddedDataDir();
const hasSystem = IDX_FILES.every((f) => existsSync(join(SYSTEM_DATA_DIR, `${f.name}.gz`)));

/** A temp dir holding the sample, with `damage` applied to one file. */
function sampleDir(damage?: { file: string; edit: (bytes: Buffer) => Buffer | undefined; rename?: string }): string {
  const dir = mkdtempSync(join(tmpdir(), 'fmnist-data-'));
  for (const f of IDX_FILES) {
    const name = `${f.name}.gz`;
    if (damage?.file === name) {
      const edited = damage.edit(readFileSync(join(sample, name)));
      if (edited) writeFileSync(join(dir, damage.rename ?? name), edited);
    } else copyFileSync(join(sample, name), join(dir, name));
  }
  return dir;
}

/** An environment in which only what the test sets up exists (no real cache, no system copy, no network). */
function isolatedEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const home = mkdtempSync(join(tmpdir(), 'fmnist-home-'));
  return {
    HOME: home,
    FMNIST_CACHE_DIR: join(home, 'cache'),
    FMNIST_SYSTEM_DIR: join(home, 'no-system'),
    FMNIST_OFFLINE: '1',
    ...extra,
  };
}

test('the full set from the system copy: 60,000 / 10,000, verified', {
  skip: hasSystem ? false : `${SYSTEM_DATA_DIR} not installed (apt install dataset-fashion-mnist)`,
}, async () => {
  const env = isolatedEnv({ FMNIST_SYSTEM_DIR: SYSTEM_DATA_DIR });
  const events: DataProgress[] = [];
  const data = await loadDataset({ env, onProgress: (p) => events.push(p) });
  assert.equal(data.source.kind, 'system');
  assert.equal(data.source.subset, false);
  assert.equal(data.verified, true);
  assert.equal(data.train.count, 60000);
  assert.equal(data.test.count, 10000);
  assert.equal(data.train.images.length, 60000 * 784);
  assert.equal(data.test.labels.length, 10000);
  assert.equal(data.train.labels[0], 9); // the first training image is an ankle boot
  assert.equal(data.test.labels[0], 9);
  assert.deepEqual(
    data.files.map((f) => f.sha256),
    IDX_FILES.map((f) => FULL_DIGESTS[f.name].sha256),
  );
  assert.equal(data.fingerprint, '98edea51b8cd9d2699710e27fc275029ab178e89e92ebcb3832c49bccd6c6e14');
  assert.deepEqual(
    events.filter((e) => e.type === 'skip').map((e) => (e as { kind: string }).kind),
    ['data-dir', 'cache'],
  );
  assert.equal(events.filter((e) => e.type === 'verify' && e.ok).length, 4);
});

test('nothing available offline → the embedded sample, labelled as a subset, verified', async () => {
  const data = await loadDataset({ env: isolatedEnv() });
  assert.equal(data.source.kind, 'embedded');
  assert.equal(data.source.subset, true);
  assert.match(data.source.description, /subset/);
  assert.equal(data.verified, true);
  assert.equal(data.train.count, 6000);
  assert.equal(data.test.count, 1000);
  assert.deepEqual(
    data.tried.map((t) => `${t.kind}:${t.used}`),
    ['data-dir:false', 'cache:false', 'system:false', 'download:false', 'embedded:true'],
  );
  assert.match(data.tried[3].reason!, /FMNIST_OFFLINE/);
});

test('the committed SHA256SUMS of the sample equals the digests in the source', () => {
  const sums = parseChecksumLines(readFileSync(join(sample, 'SHA256SUMS'), 'utf8'));
  for (const f of IDX_FILES) assert.deepEqual(sums.get(f.name), SAMPLE_DIGESTS[f.name], f.name);
});

test('FMNIST_DATA_DIR / --data-dir: uncompressed files work, and the sample is recognised as a subset', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fmnist-raw-'));
  for (const f of IDX_FILES) writeFileSync(join(dir, f.name), gunzipSync(readFileSync(join(sample, `${f.name}.gz`))));
  const data = await loadDataset({ env: isolatedEnv({ FMNIST_DATA_DIR: dir }) });
  assert.equal(data.source.kind, 'data-dir');
  assert.equal(data.source.dir, dir);
  assert.equal(data.source.subset, true);
  assert.equal(data.verified, true);
  assert.equal(data.files[0].compressed, false);
  // --data-dir wins over the variable.
  const other = await loadDataset({ dataDir: sample, env: isolatedEnv({ FMNIST_DATA_DIR: '/nonexistent' }) });
  assert.equal(other.source.dir, sample);
});

const otherLabels = gzipSync(encodeIdxLabels(new Uint8Array(1000).fill(3)));
const badDirs: [string, Parameters<typeof sampleDir>[0], RegExp][] = [
  [
    'a truncated .gz',
    { file: 'train-images-idx3-ubyte.gz', edit: (b) => b.subarray(0, b.length >> 1) },
    /train-images-idx3-ubyte\.gz: the gzip data is truncated \(unexpected end of file\)/,
  ],
  [
    'a corrupted byte in the .gz',
    {
      file: 't10k-images-idx3-ubyte.gz',
      edit: (b) => Buffer.concat([b.subarray(0, 5000), Buffer.from([b[5000] ^ 0xff]), b.subarray(5001)]),
    },
    /t10k-images-idx3-ubyte\.gz: the gzip data is corrupt/,
  ],
  [
    'not gzip and not IDX',
    { file: 'train-labels-idx1-ubyte.gz', edit: () => Buffer.from('<html>404 Not Found</html>') },
    /train-labels-idx1-ubyte\.gz: not an IDX labels file: found magic/,
  ],
  [
    'valid IDX with other content',
    { file: 't10k-labels-idx1-ubyte.gz', edit: () => otherLabels },
    /t10k-labels-idx1-ubyte\.gz: SHA-256 mismatch: the decompressed content \([0-9a-f]{12}…\) is not the published Fashion-MNIST t10k-labels-idx1-ubyte/,
  ],
  [
    'a missing file',
    { file: 'train-labels-idx1-ubyte.gz', edit: () => undefined },
    /: missing train-labels-idx1-ubyte\.gz \(expected the four Fashion-MNIST files, gzipped or not\)$/,
  ],
];
for (const [what, damage, message] of badDirs) {
  test(`--data-dir with ${what}: one line naming the file and what to do; nothing written`, async () => {
    const dir = sampleDir(damage);
    const before = readdirSync(dir).sort();
    const env = isolatedEnv();
    await assert.rejects(loadDataset({ dataDir: dir, env }), (err: unknown) => {
      assert.ok(err instanceof UserError, String(err));
      assert.match(err.message, message);
      assert.ok(err.message.startsWith(dir), err.message);
      assert.equal(err.message.includes('\n'), false);
      if (!/missing/.test(what)) assert.match(err.message, / — replace it with an intact copy/);
      return true;
    });
    assert.deepEqual(readdirSync(dir).sort(), before);
    assert.equal(existsSync(env.FMNIST_CACHE_DIR!), false);
  });
}

test('a --data-dir that does not exist or is a file', async () => {
  await assert.rejects(loadDataset({ dataDir: '/nonexistent/fm', env: isolatedEnv() }), {
    message:
      '/nonexistent/fm: no such directory (given by --data-dir); point it at the folder holding the four Fashion-MNIST files',
  });
  await assert.rejects(loadDataset({ env: isolatedEnv({ FMNIST_DATA_DIR: join(sample, 'SHA256SUMS') }) }), {
    message: /SHA256SUMS: not a directory; --data-dir\/FMNIST_DATA_DIR must name the folder/,
  });
});

test('--allow-unverified loads other content from a data dir, marked unverified', async () => {
  const dir = sampleDir({ file: 't10k-labels-idx1-ubyte.gz', edit: () => otherLabels });
  const data = await loadDataset({ dataDir: dir, env: isolatedEnv(), allowUnverified: true });
  assert.equal(data.verified, false);
  assert.equal(data.files.find((f) => f.file === 't10k-labels-idx1-ubyte')!.verified, false);
  assert.equal(data.test.labels[0], 3);
});

test('a damaged file in the cache is deleted and the next source is used', async () => {
  const env = isolatedEnv();
  const cache = cacheDataDir(env);
  mkdirSync(cache, { recursive: true });
  for (const f of IDX_FILES) copyFileSync(join(sample, `${f.name}.gz`), join(cache, `${f.name}.gz`));
  const bad = join(cache, 'train-images-idx3-ubyte.gz');
  writeFileSync(bad, readFileSync(bad).subarray(0, 1000));
  const events: DataProgress[] = [];
  const data = await loadDataset({ env, onProgress: (p) => events.push(p) });
  assert.equal(existsSync(bad), false, 'the bad file is gone');
  assert.equal(existsSync(join(cache, 'train-labels-idx1-ubyte.gz')), true, 'good files stay');
  assert.ok(events.some((e) => e.type === 'removed' && e.path === bad));
  assert.equal(data.source.kind, 'embedded');
  assert.match(data.tried[1].reason!, /train-images-idx3-ubyte\.gz: the gzip data is truncated/);
});

test('a damaged system copy is skipped with the reason (and left alone)', async () => {
  const system = sampleDir({ file: 't10k-labels-idx1-ubyte.gz', edit: () => otherLabels });
  const data = await loadDataset({ env: isolatedEnv({ FMNIST_SYSTEM_DIR: system }) });
  assert.equal(data.source.kind, 'embedded');
  assert.match(data.tried[2].reason!, /SHA-256 mismatch.*reinstall the dataset-fashion-mnist package/);
  assert.equal(readdirSync(system).length, 4);
});

test('XDG cache location and an aborted load', async () => {
  assert.equal(cacheDataDir({ XDG_CACHE_HOME: '/x/cache', HOME: '/home/u' }), '/x/cache/fmnist-tui/fashion-mnist');
  assert.equal(
    cacheDataDir({ XDG_CACHE_HOME: 'relative', HOME: '/home/u' }),
    '/home/u/.cache/fmnist-tui/fashion-mnist',
  );
  assert.equal(cacheDataDir({ FMNIST_CACHE_DIR: '/c', XDG_CACHE_HOME: '/x' }), '/c');
  const controller = new AbortController();
  controller.abort();
  await assert.rejects(loadDataset({ env: isolatedEnv({ FMNIST_DATA_DIR: sample }), signal: controller.signal }), {
    name: 'AbortError',
  });
});
