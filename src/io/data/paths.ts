/** Where the data lives, each overridable through the environment (tests never touch the real ones). */
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Debian's dataset-fashion-mnist package installs the four .gz files here. */
export const SYSTEM_DATA_DIR = '/usr/share/datasets/fashion-mnist';

/**
 * Public mirrors, tried in this order. Each serves `${base}${name}.gz`; the gzip bytes differ
 * between them, the decompressed content does not (that is what is verified).
 */
export const DEFAULT_MIRRORS: readonly string[] = [
  // The Zalando S3 bucket torchvision's FashionMNIST downloads from (website endpoint: http only).
  'http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/',
  // The data folder of the zalandoresearch/fashion-mnist repository.
  'https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/',
  // The bucket tf.keras.datasets.fashion_mnist downloads from.
  'https://storage.googleapis.com/tensorflow/tf-keras-datasets/',
];

/** `--data-dir` wins over FMNIST_DATA_DIR; undefined when neither is set. */
export function explicitDataDir(dataDir: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  const dir = dataDir ?? (env.FMNIST_DATA_DIR || undefined);
  return dir === undefined ? undefined : resolve(dir);
}

/**
 * The user cache: FMNIST_CACHE_DIR (the folder holding the four files) if set, else
 * $XDG_CACHE_HOME/fmnist-tui/fashion-mnist, else ~/.cache/fmnist-tui/fashion-mnist.
 * (XDG says a relative XDG_CACHE_HOME is invalid and must be ignored.)
 */
export function cacheDataDir(env: NodeJS.ProcessEnv): string {
  if (env.FMNIST_CACHE_DIR) return resolve(env.FMNIST_CACHE_DIR);
  const xdg = env.XDG_CACHE_HOME;
  const base = xdg && isAbsolute(xdg) ? xdg : join(env.HOME || homedir(), '.cache');
  return join(base, 'fmnist-tui', 'fashion-mnist');
}

/** The system copy: FMNIST_SYSTEM_DIR overrides /usr/share/datasets/fashion-mnist (tests point it at an empty dir). */
export function systemDataDir(env: NodeJS.ProcessEnv): string {
  return env.FMNIST_SYSTEM_DIR ? resolve(env.FMNIST_SYSTEM_DIR) : SYSTEM_DATA_DIR;
}

/** The embedded sample shipped in the package (assets/ sits next to src/ and dist/). */
export function embeddedDataDir(): string {
  return fileURLToPath(new URL('../../../assets/fashion-mnist-sample/', import.meta.url)).replace(/\/$/, '');
}

/** FMNIST_MIRRORS (comma- or space-separated base URLs) overrides the public mirrors. */
export function mirrorList(env: NodeJS.ProcessEnv): string[] {
  const raw = env.FMNIST_MIRRORS?.trim();
  const list = raw ? raw.split(/[\s,]+/).filter(Boolean) : [...DEFAULT_MIRRORS];
  return list.map((m) => (m.endsWith('/') ? m : `${m}/`));
}

/** FMNIST_OFFLINE=1 (or true/yes) turns the automatic download off. */
export function offline(env: NodeJS.ProcessEnv): boolean {
  const v = env.FMNIST_OFFLINE?.trim().toLowerCase();
  return v !== undefined && v !== '' && v !== '0' && v !== 'false' && v !== 'no';
}
