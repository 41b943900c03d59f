/**
 * The four Fashion-MNIST files and the SHA-256 of their DECOMPRESSED content.
 * The .gz bytes differ between mirrors (different gzip settings); the IDX content does not,
 * so verification always hashes what comes out of gunzip.
 * Source: ../shared/data/fashion-mnist.sha256 (copied here: shared/ is not in the package).
 */

export type IdxFileName =
  | 'train-images-idx3-ubyte'
  | 'train-labels-idx1-ubyte'
  | 't10k-images-idx3-ubyte'
  | 't10k-labels-idx1-ubyte';

export interface IdxFileSpec {
  /** Name of the decompressed file; on disk and on the mirrors it is `${name}.gz`. */
  readonly name: IdxFileName;
  readonly split: 'train' | 'test';
  readonly kind: 'images' | 'labels';
}

/** In the order they are loaded, downloaded and fingerprinted. */
export const IDX_FILES: readonly IdxFileSpec[] = [
  { name: 'train-images-idx3-ubyte', split: 'train', kind: 'images' },
  { name: 'train-labels-idx1-ubyte', split: 'train', kind: 'labels' },
  { name: 't10k-images-idx3-ubyte', split: 'test', kind: 'images' },
  { name: 't10k-labels-idx1-ubyte', split: 'test', kind: 'labels' },
];

export interface ContentDigest {
  /** Hex SHA-256 of the decompressed IDX file. */
  readonly sha256: string;
  /** Size of the decompressed IDX file in bytes. */
  readonly bytes: number;
}

export type DigestTable = Readonly<Record<IdxFileName, ContentDigest>>;

/** The full data set: 60,000 train / 10,000 test images. */
export const FULL_DIGESTS: DigestTable = {
  'train-images-idx3-ubyte': {
    sha256: 'c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888',
    bytes: 47040016,
  },
  'train-labels-idx1-ubyte': {
    sha256: 'bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9',
    bytes: 60008,
  },
  't10k-images-idx3-ubyte': {
    sha256: '5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b',
    bytes: 7840016,
  },
  't10k-labels-idx1-ubyte': {
    sha256: '0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34',
    bytes: 10008,
  },
};

/**
 * The embedded sample (assets/fashion-mnist-sample, made by scripts/make-sample.ts):
 * 600 train / 100 test images per class. Must equal assets/fashion-mnist-sample/SHA256SUMS
 * (a test checks); if you regenerate the sample, paste the digests the script prints here.
 */
export const SAMPLE_DIGESTS: DigestTable = {
  'train-images-idx3-ubyte': {
    sha256: 'c9e4bf2f2778c2266f33b649e56caf1a9d8df17f39394ce6bd296968a158b782',
    bytes: 4704016,
  },
  'train-labels-idx1-ubyte': {
    sha256: '8273a070cb2447c1e742ca49fab91505ca54703357fcb1dddac60b86a4fe71ee',
    bytes: 6008,
  },
  't10k-images-idx3-ubyte': {
    sha256: '8370c509282259f9cfb70de054deb205168e65ab0b5a5a8982b3be5847d29d46',
    bytes: 784016,
  },
  't10k-labels-idx1-ubyte': { sha256: 'e9262882e26e07c0c663097763fe802282ce233b8466dd4bf01a1ece3b459745', bytes: 1008 },
};

export const SAMPLE_PER_CLASS = { train: 600, test: 100 } as const;

/** Which known set a list of digests is, if any. */
export function matchDigests(actual: Readonly<Record<IdxFileName, string>>): 'full' | 'sample' | undefined {
  const is = (table: DigestTable) => IDX_FILES.every((f) => table[f.name].sha256 === actual[f.name]);
  if (is(FULL_DIGESTS)) return 'full';
  if (is(SAMPLE_DIGESTS)) return 'sample';
  return undefined;
}

/** Parse `sha256sum`-style lines ("<hex>  <bytes>  <file>" or "<hex>  <file>"); '#' starts a comment. */
export function parseChecksumLines(text: string): Map<string, { sha256: string; bytes?: number }> {
  const out = new Map<string, { sha256: string; bytes?: number }>();
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*$/, '').trim();
    if (!line) continue;
    const parts = line.split(/\s+/);
    const [sha256, a, b] = parts;
    if (!/^[0-9a-f]{64}$/.test(sha256)) continue;
    if (b !== undefined) out.set(b.replace(/^\*/, ''), { sha256, bytes: Number(a) });
    else if (a !== undefined) out.set(a.replace(/^\*/, ''), { sha256 });
  }
  return out;
}
