import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { UsageError } from '../core/errors.js';
import { CLASS_NAMES, NUM_CLASSES, PIXELS } from '../core/dataset/types.js';
import { detectRenderStyle, renderImageGrid } from '../core/render/image-preview.js';
import { topK } from '../core/verify/compare.js';
import { loadDataset } from '../io/data/load.js';
import { loadImageForModel, writeContactSheet } from '../io/images.js';
import { assertReplaceable } from '../io/fs-safe.js';
import { openOnnxModel, type OnnxModel } from '../io/onnx-model.js';
import { parseFlags, parseInteger, writeLine, type CommandContext } from './context.js';

export const PREDICT_HELP = `Usage
  $ fmnist-tui predict <model.onnx> <image> [<image> …] [flags]
  $ fmnist-tui predict <model.onnx> --sheet out.png [--count N]

Classify pictures with an exported model. Images may be PNG, JPEG or WebP of any
size and colour: transparency is flattened, colour turned to grey, and the
picture fitted into 28×28 (aspect ratio kept) before it goes to the model.
Fashion-MNIST items are light on a black background: for a photo of a dark item
on a light background, add --invert.

Flags
      --invert          invert the images (dark item on light background → light
                        on dark)
      --top N           classes to list per image (default 3)
      --show            also draw each image as the model sees it (28×28)
      --sheet FILE      write a labelled contact sheet PNG of test-set
                        predictions
      --count N         test images on the sheet (default 32)
      --data-dir DIR    Fashion-MNIST files for --sheet (default: the usual
                        search)
      --force           replace an existing --sheet file
      --json            print the predictions as JSON
  -h, --help            show this help

Examples
  $ fmnist-tui predict runs/best/model.onnx sneaker.png
  $ fmnist-tui predict model.onnx photo-of-my-shoe.jpg --invert --show
  $ fmnist-tui predict model.onnx --sheet predictions.png --count 48
`;

/** Class names from the model's metadata when it has them (an export by fmnist-tui does). */
function classNamesOf(model: OnnxModel): readonly string[] {
  try {
    const names = JSON.parse(model.info.metadata.class_names ?? 'null') as unknown;
    if (Array.isArray(names) && names.length === NUM_CLASSES && names.every((n) => typeof n === 'string'))
      return names as string[];
  } catch {
    // fall through to the standard names
  }
  return CLASS_NAMES;
}

/** The most test images one contact sheet holds. */
export const MAX_SHEET_COUNT = 1000;

export async function runPredict(argv: string[], ctx: CommandContext): Promise<number> {
  const { values, positionals } = parseFlags(
    'predict',
    argv,
    {
      invert: { type: 'boolean' },
      top: { type: 'string' },
      show: { type: 'boolean' },
      sheet: { type: 'string' },
      count: { type: 'string' },
      'data-dir': { type: 'string' },
      force: { type: 'boolean' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    { positionals: true },
  );
  if (values.help) {
    ctx.stdout.write(PREDICT_HELP);
    return 0;
  }
  const [onnxPath, ...imagePaths] = positionals;
  if (!onnxPath)
    throw new UsageError("predict needs an ONNX model and at least one image (see 'fmnist-tui predict --help')");
  if (imagePaths.length === 0 && !values.sheet)
    throw new UsageError(
      `predict needs at least one image after ${onnxPath}, or --sheet FILE (see 'fmnist-tui predict --help')`,
    );
  const top = parseInteger('--top', values.top, 3);
  if (top < 1 || top > NUM_CLASSES) throw new UsageError(`--top must be from 1 to ${NUM_CLASSES} (got ${top})`);
  const count = parseInteger('--count', values.count, 32);
  if (count < 1) throw new UsageError(`--count must be at least 1 (got ${count})`);
  // One PNG: 1,000 labelled tiles is already a large image; more would take GBs to compose.
  if (count > MAX_SHEET_COUNT)
    throw new UsageError(`--count ${count}: a sheet holds at most ${MAX_SHEET_COUNT.toLocaleString('en-US')} images`);
  if (values.sheet) await assertReplaceable(values.sheet);
  if (values.sheet && !values.force && existsSync(values.sheet))
    throw new UsageError(`${values.sheet} already exists (use --force to replace it)`);

  const model = await openOnnxModel(onnxPath);
  try {
    const names = classNamesOf(model);
    // Read every image first: a bad one stops the command before any output.
    const images = [];
    for (const path of imagePaths) images.push({ path, ...(await loadImageForModel(path, { invert: values.invert })) });
    const batch = new Uint8Array(images.length * PIXELS);
    images.forEach((img, i) => batch.set(img.pixels, i * PIXELS));
    const logits = images.length > 0 ? await model.run(batch, images.length) : new Float32Array(0);
    const results = images.map((img, i) => ({
      path: img.path,
      width: img.width,
      height: img.height,
      top: topK(logits, i * NUM_CLASSES, top).map((t) => ({
        label: t.label,
        class: names[t.label],
        probability: t.probability,
      })),
    }));

    let sheet: { path: string; count: number; correct: number } | undefined;
    if (values.sheet) {
      const data = await loadDataset({ dataDir: values['data-dir'], env: ctx.env });
      const n = Math.min(count, data.test.count);
      const testLogits = await model.run(data.test.images.subarray(0, n * PIXELS), n);
      const items = Array.from({ length: n }, (_, i) => {
        const [best] = topK(testLogits, i * NUM_CLASSES, 1);
        return {
          pixels: data.test.images.subarray(i * PIXELS, (i + 1) * PIXELS),
          label: data.test.labels[i],
          predicted: best.label,
          probability: best.probability,
        };
      });
      const correct = items.filter((it) => it.label === it.predicted).length;
      await writeContactSheet(values.sheet, items, {
        force: values.force,
        title: `${basename(onnxPath)} on the first ${n} Fashion-MNIST test images: ${correct}/${n} right`,
      });
      sheet = { path: values.sheet, count: n, correct };
    }

    if (values.json) {
      writeLine(
        ctx.stdout,
        JSON.stringify({ model: onnxPath, invert: Boolean(values.invert), predictions: results, sheet: sheet ?? null }),
      );
      return 0;
    }
    const width = Math.max(0, ...results.map((r) => r.path.length));
    for (const r of results)
      writeLine(
        ctx.stdout,
        `${r.path.padEnd(width)}  ${r.top.map((t) => `${t.class} ${(100 * t.probability).toFixed(1)}%`).join('   ')}`,
      );
    if (values.show && results.length > 0) {
      const style = detectRenderStyle(ctx.env, ctx.stdout);
      writeLine(ctx.stdout);
      writeLine(
        ctx.stdout,
        renderImageGrid(
          images.map((img, i) => ({
            pixels: img.pixels,
            caption: `${basename(img.path)}\n${results[i].top[0].class}`,
          })),
          { ...style, width: ctx.stdout.columns ?? 80 },
        ),
      );
    }
    if (sheet)
      writeLine(
        ctx.stdout,
        `Wrote ${sheet.path}: ${sheet.count} test images, ${sheet.correct} classified right (green) and ${sheet.count - sheet.correct} wrong (red)`,
      );
    return 0;
  } finally {
    await model.release();
  }
}
