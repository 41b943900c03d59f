import { lossForSpec } from '../config/index.js';
import { existsSync } from 'node:fs';
import { UsageError, UserError } from '../core/errors.js';
import { CLASS_NAMES, NUM_CLASSES, PIXELS } from '../core/dataset/types.js';
import { PRESETS, PRESET_NAMES, describeModel, type ModelSpec } from '../core/model/spec.js';
import { detectRenderStyle, renderImageGrid } from '../core/render/image-preview.js';
import { ENGINE_NAMES } from '../core/train/engine.js';
import { OPTIMIZER_DEFAULTS } from '../core/train/hyperparameters.js';
import { topK } from '../core/verify/compare.js';
import { referenceLogits } from '../core/verify/reference-forward.js';
import { createEngine, engineRuntimeFromEnv } from '../engines/index.js';
import { writeFileAtomic } from '../io/atomic.js';
import { loadDataset } from '../io/data/load.js';
import { findReferenceBeside, readModelFile } from '../io/model-file.js';
import { inspectOnnx, openOnnxModel } from '../io/onnx-model.js';
import { readFileBytes } from '../io/safetensors.js';
import { formatVerifyReport, verifyExport, type VerifyReport } from '../io/verify.js';
import { parseChoice, parseFlags, parseInteger, writeLine, type CommandContext } from './context.js';

const REFERENCES = [...ENGINE_NAMES, 'typescript'] as const;
type ReferenceName = (typeof REFERENCES)[number];

export const VERIFY_HELP = `Usage
  $ fmnist-tui verify <model.onnx> [flags]

Prove an exported model right: load it in a fresh onnxruntime-node session, run
every test image in batches, and compare with the trained model's own logits
(the weights or checkpoint beside it in its run folder, or --weights). The same
images also run one at a time and in one large batch. PASS when every logit is
within |Δ| ≤ 1e-5 + 1e-3·|reference| (PyTorch's ONNX tutorial tolerances) and
every predicted class agrees. Exit code 0 on PASS, 1 on FAIL.

Flags
      --weights FILE     the trained model: weights (.safetensors) or checkpoint
                         (.ckpt) (default: model.safetensors or checkpoint.ckpt
                         beside the ONNX file)
      --preset NAME      the model of a weights file from another tool
                         (${PRESET_NAMES.join(', ')})
      --reference NAME   what computes the reference logits:
                         ${REFERENCES.join(', ')}
                         (default onnx: the training engine; typescript: an
                         independent plain TypeScript forward pass, slower)
      --batch-size N     batch size of the main run (default 1000)
      --batch-one N      images to run at batch size 1 (default: all; fewer is
                         faster)
      --preview N        show N test images with true and predicted class
                         (default 8, 0 for none)
      --report FILE      also write the report as JSON to FILE
      --data-dir DIR     Fashion-MNIST files (default: the usual search; see
                         'fmnist-tui data')
      --force            replace an existing --report file
      --json             print the report as JSON instead of text
  -h, --help             show this help

Examples
  $ fmnist-tui verify runs/best/model.onnx
  $ fmnist-tui verify fashion.onnx --weights runs/best/model.safetensors \\
      --preview 16
  $ fmnist-tui verify model.onnx --reference typescript --json > report.json
`;

export async function runVerify(argv: string[], ctx: CommandContext): Promise<number> {
  const { values, positionals } = parseFlags(
    'verify',
    argv,
    {
      weights: { type: 'string' },
      preset: { type: 'string' },
      reference: { type: 'string' },
      'batch-size': { type: 'string' },
      'batch-one': { type: 'string' },
      preview: { type: 'string' },
      report: { type: 'string' },
      'data-dir': { type: 'string' },
      force: { type: 'boolean' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    { positionals: true },
  );
  if (values.help) {
    ctx.stdout.write(VERIFY_HELP);
    return 0;
  }
  if (positionals.length !== 1)
    throw new UsageError(`verify needs one ONNX file (got ${positionals.length}; see 'fmnist-tui verify --help')`);
  const onnxPath = positionals[0];
  const reference = parseChoice<ReferenceName>('--reference', values.reference, REFERENCES, 'onnx');
  const batchSize = parseInteger('--batch-size', values['batch-size'], 1000);
  if (batchSize < 1) throw new UsageError(`--batch-size must be at least 1 (got ${batchSize})`);
  const batchOne = values['batch-one'] === undefined ? undefined : parseInteger('--batch-one', values['batch-one'], 0);
  if (batchOne !== undefined && batchOne < 0) throw new UsageError(`--batch-one must be 0 or more (got ${batchOne})`);
  const preview = parseInteger('--preview', values.preview, 8);
  if (preview < 0) throw new UsageError(`--preview must be 0 or more (got ${preview})`);
  const spec: ModelSpec | undefined = values.preset
    ? PRESETS[parseChoice('--preset', values.preset, PRESET_NAMES, 'seed')]
    : undefined;
  if (values.report && !values.force && existsSync(values.report))
    throw new UsageError(`${values.report} already exists (use --force to replace it)`);

  const weightsPath = values.weights ?? findReferenceBeside(onnxPath);
  if (!weightsPath)
    throw new UsageError(
      `no trained model to compare ${onnxPath} with: pass --weights FILE (a .safetensors or .ckpt), or keep model.safetensors beside it`,
    );
  const onnxInfo = inspectOnnx(await readFileBytes(onnxPath), onnxPath);
  const model = await readModelFile(weightsPath, spec);
  const exportedSpec = onnxInfo.metadata['fmnist_tui.spec'];
  if (exportedSpec !== undefined && exportedSpec !== JSON.stringify(model.spec)) {
    let described = 'another model';
    try {
      described = describeModel(JSON.parse(exportedSpec) as ModelSpec);
    } catch {
      // keep the generic words
    }
    throw new UserError(
      `${onnxPath} was exported from a different model (${described}) than ${weightsPath} ` +
        `(${describeModel(model.spec)}); pass the weights it came from with --weights`,
    );
  }
  const data = await loadDataset({ dataDir: values['data-dir'], env: ctx.env });
  const test = data.test;
  if (!values.json)
    writeLine(
      ctx.stderr,
      `Reference: ${weightsPath} (${model.kind}); test data: ${test.count.toLocaleString('en-US')} images from ${data.source.description}`,
    );
  if (model.checkpoint && model.checkpoint.datasetFingerprint !== data.fingerprint && !values.json)
    writeLine(ctx.stderr, 'note: this test data differs from the data the model was trained on (dataset fingerprint)');

  let referenceFn: (images: Uint8Array, count: number) => Promise<Float32Array>;
  let dispose = async () => {};
  let referenceDescription = 'a plain TypeScript forward pass of the weights';
  if (reference === 'typescript') {
    referenceFn = async (images, count) => referenceLogits(model.spec, model.parameters, images, count);
  } else {
    const engine = await createEngine(
      reference,
      {
        spec: model.spec,
        loss: lossForSpec(model.spec),
        optimizer: OPTIMIZER_DEFAULTS.sgd,
        parameters: model.parameters,
      },
      engineRuntimeFromEnv(ctx.env),
    );
    referenceFn = (images, count) => engine.predict(images, count);
    referenceDescription = `the weights in the ${engine.name} engine, ${engine.backend}`;
    dispose = () => engine.dispose();
  }
  let report: VerifyReport;
  try {
    report = await verifyExport({
      onnxPath,
      reference: referenceFn,
      referenceDescription,
      test,
      batchSize,
      batchOneCount: batchOne,
    });
  } finally {
    await dispose();
  }
  if (values.report)
    await writeFileAtomic(values.report, JSON.stringify(report, null, 2) + '\n', { force: values.force, mkdirs: true });
  if (values.json) {
    writeLine(
      ctx.stdout,
      JSON.stringify({
        ...report,
        referenceFile: { path: weightsPath, kind: model.kind, computedBy: reference },
        data: data.source.description,
      }),
    );
    return report.verdict === 'PASS' ? 0 : 1;
  }
  if (preview > 0) {
    const n = Math.min(preview, test.count);
    const onnx = await openOnnxModel(onnxPath);
    try {
      const logits = await onnx.run(test.images.subarray(0, n * PIXELS), n);
      const style = detectRenderStyle(ctx.env, ctx.stdout);
      const items = Array.from({ length: n }, (_, i) => {
        const [best] = topK(logits, i * NUM_CLASSES, 1);
        const right = best.label === test.labels[i];
        return {
          pixels: test.images.subarray(i * PIXELS, (i + 1) * PIXELS),
          caption: `${CLASS_NAMES[best.label]} ${(100 * best.probability).toFixed(0)}%\ntrue: ${CLASS_NAMES[test.labels[i]]}`,
          tone: right ? ('good' as const) : ('bad' as const),
        };
      });
      writeLine(
        ctx.stdout,
        `First ${n} test images: predicted class and probability (ONNX model) above the true class`,
      );
      writeLine(ctx.stdout, renderImageGrid(items, { ...style, width: ctx.stdout.columns ?? 80 }));
      writeLine(ctx.stdout);
    } finally {
      await onnx.release();
    }
  }
  const text = formatVerifyReport(report);
  const style = detectRenderStyle(ctx.env, ctx.stdout);
  const verdict = style.color
    ? `${report.verdict === 'PASS' ? '\x1b[32m' : '\x1b[31m'}${report.verdict}\x1b[0m`
    : report.verdict;
  writeLine(ctx.stdout, text.replace(/(PASS|FAIL)$/, verdict));
  return report.verdict === 'PASS' ? 0 : 1;
}
