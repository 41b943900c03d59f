// Small fakes of the app's ports for the UI tests: a synthetic dataset and a scripted train stream.
import type { Dataset } from '../../src/core/dataset/types.js';
import type { TrainingCommand, TrainingEvent } from '../../src/core/train/events.js';
import type { PersistedSettings, PreviewEvent, Services, TrainingRequest, TrainingRun } from '../../src/ui/services.js';
import { initialState, type AppState, type InitialOptions } from '../../src/ui/state.js';

export function fakeDataset(train = 320, test = 40): Dataset {
  const make = (count: number, seed: number) => {
    const images = new Uint8Array(count * 784);
    const labels = new Uint8Array(count);
    for (let i = 0; i < count; i++) {
      labels[i] = i % 10;
      for (let p = 0; p < 784; p++) images[i * 784 + p] = (p * 7 + i * 13 + seed) % 256;
    }
    return { images, labels, count };
  };
  return {
    train: make(train, 1),
    test: make(test, 2),
    source: { kind: 'embedded', dir: '/fake', subset: true, description: 'fake sample (test data)' },
    verified: true,
    fingerprint: 'f'.repeat(64),
  };
}

export interface FakeOptions {
  /** Resolve the data at once (default) or only when `releaseData()` is called. */
  readonly holdData?: boolean;
  readonly dataError?: string;
  /** Batches per epoch the fake trainer emits. */
  readonly steps?: number;
  /** Wait for a `step()` call before each batch (to test keys mid-epoch). */
  readonly manual?: boolean;
  /** Folders that already hold a run: saving there is refused as RunFolderExistsError is, unless overwrite. */
  readonly existing?: readonly string[];
}

export interface FakeServices extends Services {
  readonly commands: TrainingCommand[];
  readonly saved: PersistedSettings[];
  readonly calls: string[];
  /** What each training run was asked to train (model, hyperparameters). */
  readonly requests: TrainingRequest[];
  releaseData(): void;
  /** Let the manual trainer run `n` more batches. */
  step(n?: number): void;
}

export function fakeServices(options: FakeOptions = {}): FakeServices {
  const commands: TrainingCommand[] = [];
  const saved: PersistedSettings[] = [];
  const calls: string[] = [];
  const requests: TrainingRequest[] = [];
  let release: () => void = () => {};
  const dataGate = new Promise<void>((r) => (release = r));
  let credits = 0;
  let wake: (() => void) | undefined;
  let aborted = false;
  const waitCredit = async () => {
    while (credits <= 0 && !aborted) await new Promise<void>((r) => (wake = r));
    credits--;
  };
  const steps = options.steps ?? 5;

  function startTraining(req: TrainingRequest): TrainingRun {
    calls.push('startTraining');
    requests.push(req);
    const queue: TrainingCommand[] = [];
    let epochs = req.hyperparameters.epochs;
    let lr = req.hyperparameters.learningRate;
    const history: Extract<TrainingEvent, { type: 'epochEnd' }>[] = [];
    const trainSize = req.dataset.train.count;
    const events = (async function* (): AsyncGenerator<TrainingEvent | PreviewEvent> {
      yield {
        type: 'trainBegin',
        spec: req.spec,
        hyperparameters: req.hyperparameters,
        engine: req.engine,
        backend: 'fake backend',
        trainSize,
        testSize: req.dataset.test.count,
        stepsPerEpoch: steps,
        startEpoch: 1,
        parameterCount: 123,
      };
      let paused = false;
      let stopAfter = false;
      let step = 0;
      for (let epoch = 1; epoch <= epochs; epoch++) {
        yield { type: 'epochBegin', epoch, epochs };
        for (let b = 0; b < steps; b++) {
          for (;;) {
            for (const c of queue.splice(0)) {
              if (c.type === 'pause') paused = true;
              if (c.type === 'resume') paused = false;
              if (c.type === 'stopAfterEpoch') stopAfter = true;
              if (c.type === 'addEpochs') {
                epochs += c.count;
                yield { type: 'epochsChanged', epochs };
              }
              if (c.type === 'setLearningRate') {
                lr = c.learningRate;
                yield { type: 'learningRateChanged', learningRate: lr };
              }
              if (c.type === 'abort') {
                yield {
                  type: 'trainEnd',
                  reason: 'aborted',
                  epochsCompleted: epoch - 1,
                  at: { epoch, batch: b },
                  seconds: 0.1,
                  history,
                };
                return;
              }
            }
            if (!paused) break;
            yield { type: 'paused', at: { epoch, batch: b } };
            while (queue.length === 0 && !aborted) await new Promise((r) => setTimeout(r, 5));
            if (queue.some((c) => c.type === 'resume')) yield { type: 'resumed', at: { epoch, batch: b } };
          }
          if (options.manual) await waitCredit();
          if (aborted) continue;
          await new Promise((r) => setImmediate(r));
          const samplesSeen = Math.min(trainSize, Math.round(((b + 1) * trainSize) / steps));
          yield {
            type: 'batchEnd',
            epoch,
            batch: b,
            step: step++,
            loss: 2.3 - 0.1 * epoch - 0.01 * b,
            samplesSeen,
            trainSize,
            learningRate: lr,
          };
        }
        const metrics = {
          epoch,
          trainLoss: 2.2 - 0.1 * epoch,
          testLoss: 2.1 - 0.1 * epoch,
          testAccuracy: 0.3 + 0.1 * epoch,
          seconds: 0.5,
          samplesPerSecond: 640,
          learningRate: lr,
        };
        history.push({ type: 'epochEnd', epochs, ...metrics });
        yield { type: 'epochEnd', epochs, ...metrics };
        yield {
          type: 'preview',
          epoch,
          predictions: [0, 1, 2].map((index) => ({
            index,
            label: index,
            predicted: index === 1 ? 4 : index,
            probability: 0.8,
          })),
        };
        if (stopAfter) {
          yield {
            type: 'trainEnd',
            reason: 'stopped',
            epochsCompleted: epoch,
            at: { epoch: epoch + 1, batch: 0 },
            seconds: 0.5 * epoch,
            history,
          };
          return;
        }
      }
      yield {
        type: 'trainEnd',
        reason: 'completed',
        epochsCompleted: epochs,
        at: { epoch: epochs + 1, batch: 0 },
        seconds: 0.5 * epochs,
        history,
      };
    })();
    return {
      events,
      send: (c) => {
        commands.push(c);
        queue.push(c);
        if (c.type === 'abort') {
          aborted = true;
          wake?.();
        }
      },
      result: async () => ({ spec: req.spec, hyperparameters: req.hyperparameters, parameters: new Map() }),
    };
  }

  return {
    commands,
    saved,
    calls,
    requests,
    releaseData: () => release(),
    step: (n = 1) => {
      credits += n;
      wake?.();
    },
    async loadData(onProgress) {
      calls.push('loadData');
      onProgress({
        type: 'source',
        kind: 'embedded',
        dir: '/fake',
        subset: true,
        description: 'fake sample (test data)',
      });
      onProgress({
        type: 'download',
        file: 'train-images-idx3-ubyte.gz',
        url: 'http://x',
        bytes: 1_000_000,
        total: 4_000_000,
        bytesPerSecond: 500_000,
        etaSeconds: 6,
      });
      if (options.holdData) await dataGate;
      if (options.dataError) throw new Error(options.dataError);
      onProgress({ type: 'verify', file: 'train-images-idx3-ubyte.gz', ok: true });
      return fakeDataset();
    },
    startTraining,
    async saveRun({ dir, overwrite }) {
      if (options.existing?.includes(dir) && !overwrite)
        throw Object.assign(
          new Error(`${dir} already holds a saved run (model.safetensors); overwrite it, or choose another folder`),
          {
            reason: 'exists',
          },
        );
      calls.push(`save ${dir}${overwrite ? ' (overwrite)' : ''}`);
      return { dir, files: [{ path: `${dir}/model.safetensors`, bytes: 2_679_640, what: 'weights' }] };
    },
    async exportOnnx({ dir }) {
      calls.push('export');
      return { file: { path: `${dir}/model.onnx`, bytes: 2_680_516, what: 'ONNX' }, opset: 17 };
    },
    async verify() {
      calls.push('verify');
      return {
        verdict: 'PASS',
        images: 40,
        maxAbsDiff: 1.5e-7,
        argmaxAgreement: 1,
        onnxAccuracy: 0.5,
        referenceAccuracy: 0.5,
        checks: [{ name: 'batch size 1', passed: true }],
        reportPath: '/tmp/x/verify-report.json',
        predictions: [{ index: 0, label: 0, predicted: 0, probability: 0.9 }],
      };
    },
    saveSettings(s) {
      saved.push(s);
    },
    async findLearningRate() {
      calls.push('lrFind');
      const learningRates = Array.from({ length: 50 }, (_, i) => 1e-6 * 10 ** (i / 7));
      return {
        learningRates,
        losses: learningRates.map((lr) => 2.3 - 0.5 * Math.exp(-((Math.log10(lr) + 2) ** 2))),
        suggestion: 0.01,
      };
    },
    async search(request, onTrial) {
      calls.push('search');
      const trials = [1, 2].map((id) => ({
        id,
        hyperparameters: { ...request.hyperparameters, learningRate: id * 1e-3 },
        testAccuracy: 0.8 + id / 100,
        testLoss: 0.5,
        seconds: 1,
        status: 'done' as const,
      }));
      trials.forEach(onTrial);
      return { trials, best: trials[1] };
    },
  };
}

export function testState(options: Partial<InitialOptions> = {}): AppState {
  return initialState({ saveDir: 'runs/test', color: false, columns: 100, rows: 40, ...options });
}

/** Polls `lastFrame()` until `predicate` holds (Ink renders asynchronously). */
export async function waitFor(
  lastFrame: () => string | undefined,
  predicate: (frame: string) => boolean,
  what: string,
  timeoutMs = 5000,
): Promise<string> {
  const start = Date.now();
  for (;;) {
    const frame = lastFrame() ?? '';
    if (predicate(frame)) return frame;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}; last frame:\n${frame}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export const tick = () => new Promise((r) => setTimeout(r, 0));
