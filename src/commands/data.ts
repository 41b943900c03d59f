import { CLASS_NAMES, PIXELS, type Split } from '../core/dataset/types.js';
import { classCounts } from '../core/dataset/idx.js';
import { describeProgress, formatBytes, formatSeconds, type DataProgress } from '../core/dataset/progress.js';
import { UsageError } from '../core/errors.js';
import { detectRenderStyle, renderImageGrid, type PreviewItem } from '../core/render/image-preview.js';
import { downloadDataset } from '../io/data/download.js';
import { loadDataset, type LoadedDataset } from '../io/data/load.js';
import { cacheDataDir, mirrorList, SYSTEM_DATA_DIR } from '../io/data/paths.js';
import { parseChoice, parseFlags, parseInteger, writeLine, type CommandContext } from './context.js';

const HELP = `fmnist-tui data — find, verify and describe the Fashion-MNIST data

Usage
  $ fmnist-tui data [flags]
  $ fmnist-tui data download [--force]

Where the data comes from (the first that works, always reported):
  1. --data-dir DIR, or FMNIST_DATA_DIR  the four files, .gz or uncompressed
  2. the user cache                      $XDG_CACHE_HOME/fmnist-tui/
                                         fashion-mnist (~/.cache/…)
  3. the system copy                     ${SYSTEM_DATA_DIR}
                                         (apt install dataset-fashion-mnist)
  4. a download from the public mirrors  into the cache (skipped with --offline
                                         or FMNIST_OFFLINE=1)
  5. the embedded sample                 6,000 train / 1,000 test, 600 / 100
                                         per class
Every file is verified by the SHA-256 of its decompressed content; a file that
fails is never used.

Flags
  --data-dir DIR       read only from DIR (any problem there is an error)
  --preview N          draw the first N images of the split with their labels
  --split train|test   which split --preview draws (default: test)
  --ascii              draw with plain ASCII, no colour (also: NO_COLOR,
                       TERM=dumb, a non-UTF-8 locale)
  --json               print one JSON object (source, counts, classes, files,
                       verification)
  --offline            never download
  --allow-unverified   accept files in --data-dir whose content is not the
                       published set
  -h, --help           show this help

Subcommand
  download             download the full set into the cache now, with progress
                       (--force fetches again even if the cache is already
                       verified)

Examples
  $ fmnist-tui data                 where the data is and what is in it
  $ fmnist-tui data --preview 8     eight test images, drawn in the terminal
  $ fmnist-tui data --json | jq .train.count
  $ fmnist-tui data --data-dir ~/datasets/FashionMNIST/raw
  $ fmnist-tui data download        the full 60,000 / 10,000 set (about 30 MB)

Environment
  FMNIST_DATA_DIR      like --data-dir
  FMNIST_CACHE_DIR     the cache folder itself
                       (default: $XDG_CACHE_HOME/fmnist-tui/fashion-mnist)
  FMNIST_OFFLINE=1     skip the automatic download
  FMNIST_MIRRORS       space- or comma-separated base URLs to download from,
                       in order
`;

const DOWNLOAD_HELP = `fmnist-tui data download — download Fashion-MNIST into the user cache

Usage
  $ fmnist-tui data download [--force] [--json]

Tries the mirrors in order (the Zalando S3 bucket torchvision uses, the
zalandoresearch/fashion-mnist GitHub data folder, the TensorFlow Keras datasets
bucket; FMNIST_MIRRORS overrides), with timeouts, retries, resume of a partial
download, and SHA-256 verification before a file is kept.
Files already in the cache and verified are not fetched again unless --force.

Flags
  --force      download again even if the cache is complete
  --json       print a JSON summary on stdout (progress still goes to stderr)
  -h, --help   show this help

Examples
  $ fmnist-tui data download
  $ FMNIST_CACHE_DIR=/tmp/fm fmnist-tui data download --force
`;

export async function runData(argv: string[], ctx: CommandContext): Promise<number> {
  if (argv[0] === 'download') return runDownload(argv.slice(1), ctx);
  const { values, positionals } = parseFlags(
    'data',
    argv,
    {
      'data-dir': { type: 'string' },
      preview: { type: 'string' },
      split: { type: 'string' },
      ascii: { type: 'boolean' },
      json: { type: 'boolean' },
      offline: { type: 'boolean' },
      'allow-unverified': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    { positionals: true },
  );
  if (values.help) {
    ctx.stdout.write(HELP);
    return 0;
  }
  if (positionals.length > 0)
    throw new UsageError(
      `unknown subcommand '${positionals[0]}' (the only one is 'download'; see 'fmnist-tui data --help')`,
    );
  const preview = parseInteger('--preview', values.preview, 0);
  if (preview < 0 || preview > 1000) throw new UsageError(`--preview must be between 0 and 1000 (got ${preview})`);
  const split = parseChoice('--split', values.split, ['train', 'test'] as const, 'test');
  if (values.json && preview > 0) throw new UsageError('--preview draws images and cannot be combined with --json');
  if (values['data-dir'] === '') throw new UsageError('--data-dir needs a directory');

  const progress = progressPrinter(ctx, { quietUnlessDownloading: true });
  const data = await loadDataset({
    dataDir: values['data-dir'],
    env: ctx.env,
    download: values.offline ? false : undefined,
    allowUnverified: values['allow-unverified'],
    onProgress: progress,
  });
  progress.done();

  if (values.json) {
    writeLine(ctx.stdout, JSON.stringify(summaryJson(data), null, 2));
    return 0;
  }
  for (const line of summaryLines(data)) writeLine(ctx.stdout, line);
  if (preview > 0) {
    const from = data[split];
    const n = Math.min(preview, from.count);
    const style = values.ascii
      ? { style: 'ascii' as const, color: false, palette: 'ansi256' as const }
      : detectRenderStyle(ctx.env, ctx.stdout);
    writeLine(ctx.stdout);
    writeLine(ctx.stdout, `First ${n} ${split} images:`);
    writeLine(ctx.stdout, renderImageGrid(previewItems(from, n), { ...style, width: ctx.stdout.columns ?? 80 }));
  }
  return 0;
}

/** The first `n` images of a split with "#index Label" captions. */
export function previewItems(split: Split, n: number): PreviewItem[] {
  return Array.from({ length: n }, (_, i) => ({
    pixels: split.images.subarray(i * PIXELS, (i + 1) * PIXELS),
    caption: `#${i} ${CLASS_NAMES[split.labels[i]]}`,
  }));
}

/** The JSON `fmnist-tui data --json` prints. */
export function summaryJson(data: LoadedDataset) {
  const splitJson = (s: Split) => {
    const counts = classCounts(s.labels);
    return { count: s.count, classes: Object.fromEntries(CLASS_NAMES.map((name, i) => [name, counts[i]])) };
  };
  return {
    source: data.source,
    verified: data.verified,
    fingerprint: data.fingerprint,
    train: splitJson(data.train),
    test: splitJson(data.test),
    files: data.files,
    tried: data.tried,
    milliseconds: data.milliseconds,
  };
}

const n = (x: number) => x.toLocaleString('en-US');

export function summaryLines(data: LoadedDataset): string[] {
  const lines: string[] = [];
  lines.push(`Fashion-MNIST from the ${data.source.description}`);
  for (const t of data.tried) {
    if (!t.used) lines.push(`  tried ${t.kind}: ${t.reason}`);
  }
  const good = data.files.filter((f) => f.verified).length;
  lines.push(
    data.verified
      ? `Verified: yes, all ${good} files match their SHA-256 (fingerprint ${data.fingerprint.slice(0, 12)})`
      : `Verified: NO — ${data.files.length - good} of ${data.files.length} files do not match ` +
          'the published Fashion-MNIST (loaded because of --allow-unverified)',
  );
  if (data.source.subset) {
    lines.push(
      "This is the embedded class-balanced SAMPLE, not the full set: run 'fmnist-tui data download' " +
        '(or apt install dataset-fashion-mnist) for all 70,000 images.',
    );
  }
  lines.push('');
  const train = classCounts(data.train.labels);
  const test = classCounts(data.test.labels);
  const w = 12;
  lines.push(`${'class'.padEnd(14)}${'train'.padStart(w)}${'test'.padStart(w)}`);
  CLASS_NAMES.forEach((name, i) =>
    lines.push(`${`${i} ${name}`.padEnd(14)}${n(train[i]).padStart(w)}${n(test[i]).padStart(w)}`),
  );
  lines.push(`${'total'.padEnd(14)}${n(data.train.count).padStart(w)}${n(data.test.count).padStart(w)}`);
  return lines;
}

async function runDownload(argv: string[], ctx: CommandContext): Promise<number> {
  const { values } = parseFlags('data download', argv, {
    force: { type: 'boolean' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    ctx.stdout.write(DOWNLOAD_HELP);
    return 0;
  }
  const cacheDir = cacheDataDir(ctx.env);
  const mirrors = mirrorList(ctx.env);
  const progress = progressPrinter(ctx, { quietUnlessDownloading: false });
  progress.line(`downloading Fashion-MNIST into ${cacheDir}`);
  const started = performance.now();
  const files = await downloadDataset({ cacheDir, mirrors, force: values.force, onProgress: progress });
  progress.done();
  const seconds = (performance.now() - started) / 1000;
  const fetched = files.filter((f) => f.url).length;
  if (values.json) {
    writeLine(
      ctx.stdout,
      JSON.stringify({ cacheDir, verified: true, files, seconds: Number(seconds.toFixed(2)) }, null, 2),
    );
  } else {
    writeLine(
      ctx.stdout,
      fetched === 0
        ? `Already in the cache and verified: ${cacheDir} (use --force to download again)`
        : `Downloaded ${fetched} file${fetched === 1 ? '' : 's'} and verified all 4 in ${seconds.toFixed(1)} s: ${cacheDir}`,
    );
  }
  return 0;
}

/**
 * Progress on stderr. On a TTY the byte counter rewrites one line; otherwise a line per 25%.
 * quietUnlessDownloading: only bytes received, retries and removals are shown (the summary reports
 * the sources tried), so an offline run stays quiet and a failing run prints exactly one error line.
 */
function progressPrinter(ctx: CommandContext, options: { quietUnlessDownloading: boolean }) {
  const tty = Boolean((ctx.stderr as { isTTY?: boolean }).isTTY);
  let open = false; // a \r line is showing
  const lastQuarter = new Map<string, number>();
  const line = (text: string) => {
    if (open) ctx.stderr.write('\n');
    open = false;
    ctx.stderr.write(`${text}\n`);
  };
  // Bytes flowing, or a file deleted: worth showing even when the summary will say the rest.
  const essential = new Set<DataProgress['type']>(['download', 'retry', 'downloaded', 'removed']);
  const fn = (p: DataProgress) => {
    if (options.quietUnlessDownloading && !essential.has(p.type)) return;
    if (p.type === 'download') {
      if (tty) {
        const pct = p.total > 0 ? `${((100 * p.bytes) / p.total).toFixed(0).padStart(3)}% ` : '';
        const eta = p.etaSeconds !== undefined ? `, ${formatSeconds(p.etaSeconds)} left` : '';
        ctx.stderr.write(
          `\r\x1b[2K  ${p.file}: ${pct}${formatBytes(p.bytes)}${p.total ? ` / ${formatBytes(p.total)}` : ''} at ${formatBytes(p.bytesPerSecond)}/s${eta}`,
        );
        open = true;
      } else if (p.total > 0) {
        const quarter = Math.floor((4 * p.bytes) / p.total);
        if (quarter > (lastQuarter.get(p.file) ?? 0)) {
          lastQuarter.set(p.file, quarter);
          line(`  ${describeProgress(p)}`);
        }
      }
      return;
    }
    if (p.type === 'verifying') return;
    line(`  ${describeProgress(p)}`);
  };
  return Object.assign(fn, {
    line,
    done: () => {
      if (open) ctx.stderr.write('\n');
      open = false;
    },
  });
}
