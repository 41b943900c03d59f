// Builds the embedded sample from the full data set:
//   node --import tsx scripts/make-sample.ts [SOURCE_DIR]   (default /usr/share/datasets/fashion-mnist)
// 600 train / 100 test images per class, chosen by a seeded permutation (SAMPLE_SEED) and kept in
// their original order. Writes assets/fashion-mnist-sample/*.gz (gzip level 9) and SHA256SUMS
// (SHA-256 of the DECOMPRESSED content, like the full set), then prints the digest table to paste
// into src/core/dataset/files.ts (SAMPLE_DIGESTS). Same input → same content → same digests.
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { IDX_FILES, SAMPLE_PER_CLASS } from '../src/core/dataset/files.js';
import { encodeIdxImages, encodeIdxLabels } from '../src/core/dataset/idx.js';
import { SAMPLE_SEED, selectBalanced, subsetSplit } from '../src/core/dataset/sample.js';
import { writeFileAtomic } from '../src/io/atomic.js';
import { readDataDir } from '../src/io/data/load.js';
import { SYSTEM_DATA_DIR } from '../src/io/data/paths.js';

const sourceDir = process.argv[2] ?? SYSTEM_DATA_DIR;
const outDir = fileURLToPath(new URL('../assets/fashion-mnist-sample/', import.meta.url));

const full = await readDataDir(sourceDir, 'data-dir', { onProgress: () => {} });
if (!full.verified || full.train.count !== 60000) throw new Error(`${sourceDir} is not the verified full set`);

const train = subsetSplit(full.train, selectBalanced(full.train.labels, SAMPLE_PER_CLASS.train, SAMPLE_SEED));
const test = subsetSplit(full.test, selectBalanced(full.test.labels, SAMPLE_PER_CLASS.test, SAMPLE_SEED + 1));

const contents: Record<string, Uint8Array> = {
  'train-images-idx3-ubyte': encodeIdxImages(train.images),
  'train-labels-idx1-ubyte': encodeIdxLabels(train.labels),
  't10k-images-idx3-ubyte': encodeIdxImages(test.images),
  't10k-labels-idx1-ubyte': encodeIdxLabels(test.labels),
};

const sums: string[] = [
  '# Embedded Fashion-MNIST sample: SHA-256 of the DECOMPRESSED IDX files (made by scripts/make-sample.ts)',
  `# 600 train / 100 test images per class, seed ${SAMPLE_SEED}, original order kept`,
  '# sha256  bytes  file',
];
const table: string[] = [];
for (const { name } of IDX_FILES) {
  const bytes = contents[name];
  const sha = createHash('sha256').update(bytes).digest('hex');
  // mtime 0 in the gzip header (zlib writes none): same bytes on every run with the same zlib.
  await writeFileAtomic(`${outDir}${name}.gz`, gzipSync(bytes, { level: 9 }), { force: true, mkdirs: true });
  sums.push(`${sha}  ${bytes.length}  ${name}`);
  table.push(`  '${name}': { sha256: '${sha}', bytes: ${bytes.length} },`);
}
await writeFileAtomic(`${outDir}SHA256SUMS`, sums.join('\n') + '\n', { force: true });
console.log(`wrote ${outDir} (${train.count} train / ${test.count} test)\nSAMPLE_DIGESTS:\n${table.join('\n')}`);
