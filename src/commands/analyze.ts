import { PIXELS, type Split } from '../core/dataset/types.js';
import { analyzeLogits, type ModelAnalysis } from '../core/analysis/analysis.js';
import { formatAnalysis } from '../core/analysis/format.js';
import { UsageError } from '../core/errors.js';
import { detectRenderStyle, renderImageGrid } from '../core/render/image-preview.js';
import { loadDataset } from '../io/data/load.js';
import { assertWritable } from '../io/atomic.js';
import { openAnyModel, splitLogits } from '../io/model-logits.js';
import { writeConfusionPng } from '../io/run-plots.js';
import { parseFlags, parseInteger, writeLine, type CommandContext } from './context.js';

export const ANALYZE_HELP = `Usage
  $ fmnist-tui analyze <model> [flags]

See what a model learned, over the test images: the confusion matrix (rows: true
class, columns: predicted) as a heat map with counts, per-class precision,
recall and F1, the most-confused pairs, and the images it got most confidently
wrong. <model> is a model.onnx, a weights (.safetensors) or checkpoint (.ckpt)
file, or a run folder saved by 'train --save'.

Flags
      --top N           how many of the worst mistakes to show (default 8)
      --json            print {accuracy, confusion, perClass, mostConfused,
                        topLosses} as JSON instead of text
      --png FILE        also draw the confusion matrix as a PNG picture
      --force           replace an existing --png file
      --data-dir DIR    Fashion-MNIST files (default: the usual search; see
                        'fmnist-tui data')
  -h, --help            show this help

Examples
  $ fmnist-tui analyze runs/best
  $ fmnist-tui analyze runs/best/model.onnx --top 16
  $ fmnist-tui analyze runs/best/checkpoint.ckpt --json > analysis.json
  $ fmnist-tui analyze runs/best --png confusion.png
`;

export async function runAnalyze(argv: string[], ctx: CommandContext): Promise<number> {
  const { values, positionals } = parseFlags(
    'analyze',
    argv,
    {
      top: { type: 'string' },
      json: { type: 'boolean' },
      png: { type: 'string' },
      force: { type: 'boolean' },
      'data-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    true,
  );
  if (values.help) {
    ctx.stdout.write(ANALYZE_HELP);
    return 0;
  }
  if (positionals.length !== 1)
    throw new UsageError(
      `analyze needs one model: a model.onnx, weights, checkpoint or run folder (got ${positionals.length}; see 'fmnist-tui analyze --help')`,
    );
  const top = parseInteger('--top', values.top, 8);
  if (top < 0) throw new UsageError(`--top must be 0 or more (got ${top})`);
  if (values.png !== undefined) assertWritable(values.png, values.force); // refuse before the work

  const opened = await openAnyModel(positionals[0]);
  let analysis: ModelAnalysis;
  let test: Split;
  try {
    const data = await loadDataset({ dataDir: values['data-dir'], env: ctx.env });
    test = data.test;
    if (!values.json)
      writeLine(
        ctx.stderr,
        `Model: ${opened.path} (${opened.kind}); test data: ${test.count.toLocaleString('en-US')} images from ${data.source.description}`,
      );
    const logits = await splitLogits(opened.model, test);
    analysis = analyzeLogits(logits, test.labels, test.count, { topLosses: top });
    if (values.png !== undefined) {
      await writeConfusionPng(values.png, logits, test, { force: values.force });
      if (!values.json) writeLine(ctx.stderr, `Wrote ${values.png}`);
    }
  } finally {
    await opened.model.release();
  }
  if (values.json) {
    writeLine(ctx.stdout, JSON.stringify(analysis));
    return 0;
  }
  const style = detectRenderStyle(ctx.env, ctx.stdout);
  writeLine(ctx.stdout, formatAnalysis(analysis, style).join('\n'));
  const worst = analysis.topLosses.slice(0, top);
  if (worst.length > 0) {
    writeLine(ctx.stdout);
    writeLine(
      ctx.stdout,
      `The ${worst.length} images it got most confidently wrong (predicted, probability, true class)`,
    );
    const items = worst.map((t) => ({
      pixels: test.images.subarray(t.index * PIXELS, (t.index + 1) * PIXELS),
      caption: `${t.predicted} ${(100 * t.probability).toFixed(0)}%\ntrue: ${t.true}\n#${t.index}`,
      tone: 'bad' as const,
    }));
    writeLine(ctx.stdout, renderImageGrid(items, { ...style, width: ctx.stdout.columns ?? 80 }));
  }
  return 0;
}
