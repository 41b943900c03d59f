export const IMAGE_SIZE = 28;
export const PIXELS = IMAGE_SIZE * IMAGE_SIZE;
export const NUM_CLASSES = 10;

/** Fashion-MNIST's class names, indexed by label. */
export const CLASS_NAMES = [
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
] as const;

/** One split in memory: `count` images of 28×28 uint8 pixels, row-major, and their labels 0..9. */
export interface Split {
  readonly images: Uint8Array; // count * 784
  readonly labels: Uint8Array; // count
  readonly count: number;
}

/** Where the data came from, in the order they are tried. */
export type DataSourceKind = 'data-dir' | 'cache' | 'system' | 'download' | 'embedded';

export interface DataSource {
  readonly kind: DataSourceKind;
  /** The directory the four files were read from. */
  readonly dir: string;
  /** True for the embedded class-balanced sample (6,000 / 1,000), not the full set. */
  readonly subset: boolean;
  /** Human-readable label, e.g. "system copy (/usr/share/datasets/fashion-mnist)". */
  readonly description: string;
}

export interface Dataset {
  readonly train: Split;
  readonly test: Split;
  readonly source: DataSource;
  /** True when every file's decompressed content matched its SHA-256. */
  readonly verified: boolean;
  /** Identifies the data content (hex digest over the four files' SHA-256s): stored in checkpoints. */
  readonly fingerprint: string;
}
