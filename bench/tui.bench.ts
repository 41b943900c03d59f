// The interactive session's overhead: one training epoch inside the running Ink app (render
// loop, batch folding, live plots, predictions preview) against the plain train loop on the
// same data and settings. Target: at most 5% slower. Also: frames drawn, render time, and the
// time from a key press to the frame that shows its effect, measured in-process.
// The app runs the ONNX engine in a worker thread (as shipped); TUI_BENCH_WORKER=0 measures it
// in the main thread instead (about 1.08–1.12 here: every frame then delays the next training step).
import { PassThrough, Writable } from 'node:stream';
import { performance } from 'node:perf_hooks';
import { initParameters } from '../src/core/model/init.js';
import { PRESETS } from '../src/core/model/spec.js';
import { train } from '../src/core/train/loop.js';
import { SEED_HYPERPARAMETERS, type Hyperparameters } from '../src/core/train/hyperparameters.js';
import type { Dataset } from '../src/core/dataset/types.js';
import { createEngine } from '../src/engines/index.js';
import { loadDataset } from '../src/io/data/load.js';
import type { Services } from '../src/ui/services.js';
import { median, type BenchRow } from './types.js';

// Ink draws nothing live when it believes it runs in CI; it reads this when first imported.
process.env.CI = '0';
// As run-tui does: React's production build (the development one checks every render).
process.env.NODE_ENV ??= 'production';

/** Alternating plain / TUI epochs; the machine is shared, so take medians of several. */
const ROUNDS = Number(process.env.TUI_BENCH_ROUNDS ?? 5);
const HP: Hyperparameters = { ...SEED_HYPERPARAMETERS, epochs: 1 };
const SPEC = PRESETS.seed;

async function plainEpoch(dataset: Dataset): Promise<{ seconds: number; elu: number }> {
  const engine = await createEngine('onnx', {
    spec: SPEC,
    loss: HP.loss,
    optimizer: HP.optimizer,
    parameters: initParameters(SPEC, HP.seed),
  });
  try {
    const start = performance.now();
    const elu0 = performance.eventLoopUtilization();
    for await (const e of train({ engine, dataset, spec: SPEC, hyperparameters: HP })) if (e.type === 'trainEnd') break;
    return { seconds: (performance.now() - start) / 1000, elu: performance.eventLoopUtilization(elu0).utilization };
  } finally {
    await engine.dispose();
  }
}

class FakeTty extends Writable {
  isTTY = true;
  columns = 100;
  rows = 32;
  text = '';
  onWrite?: (chunk: string) => void;
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void) {
    const s = chunk.toString();
    this.text = s;
    this.onWrite?.(s);
    done();
  }
}
class FakeStdin extends PassThrough {
  isTTY = true;
  setRawMode() {
    return this;
  }
  ref() {
    return this;
  }
  unref() {
    return this;
  }
}

interface TuiRun {
  seconds: number;
  /** Main-thread event-loop utilisation during the epoch (0..1). */
  elu: number;
  frames: number;
  renderMs: number[];
  keyLatencyMs: number[];
}

/** One epoch inside the real App (real services, data already in memory), drawn to a fake TTY. */
async function tuiEpoch(dataset: Dataset, pressKeys: boolean): Promise<TuiRun> {
  const [
    { render },
    { createElement },
    { App },
    { createRealServices },
    { initialState },
    { summarizeDataset },
    { MAX_FPS },
  ] = await Promise.all([
    import('ink'),
    import('react'),
    import('../src/ui/app.js'),
    import('../src/ui/real-services.js'),
    import('../src/ui/state.js'),
    import('../src/ui/summary.js'),
    import('../src/ui/start-app.js'),
  ]);
  void summarizeDataset;
  const real = createRealServices({
    env: process.env,
    ...(process.env.TUI_BENCH_WORKER ? { onnxWorker: process.env.TUI_BENCH_WORKER === '1' } : {}),
  });
  let began = 0;
  let ended = 0;
  let elu0 = performance.eventLoopUtilization();
  let elu = 0;
  let endResolve: () => void = () => {};
  const finished = new Promise<void>((r) => (endResolve = r));
  const services: Services = {
    ...real,
    loadData: async () => dataset,
    startTraining(request) {
      const run = real.startTraining(request);
      const events = (async function* () {
        for await (const e of run.events) {
          if (e.type === 'trainBegin') {
            began = performance.now();
            elu0 = performance.eventLoopUtilization();
          }
          yield e;
          if (e.type === 'trainEnd') {
            ended = performance.now();
            elu = performance.eventLoopUtilization(elu0).utilization;
            endResolve();
          }
        }
      })();
      return { ...run, events };
    },
    saveSettings: () => {},
  };
  const stdout = new FakeTty();
  const stdin = new FakeStdin();
  const renderMs: number[] = [];
  const initial = {
    ...initialState({
      saveDir: '/tmp/unused',
      spec: SPEC,
      hyperparameters: HP,
      engine: 'onnx',
      columns: 100,
      rows: Number(process.env.TUI_BENCH_ROWS ?? 32),
      color: true,
    }),
    step: 'hyperparameters' as const,
  };
  const app = render(createElement(App, { services, initial }), {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stdin: stdin as unknown as NodeJS.ReadStream,
    maxFps: MAX_FPS,
    exitOnCtrlC: false,
    patchConsole: false,
    onRender: (m) => renderMs.push(m.renderTime),
  });
  // Wait for the data to be "loaded", then Enter starts training.
  await new Promise((r) => setTimeout(r, 200));
  const framesBefore = renderMs.length;
  stdin.write('\r');
  const keyLatencyMs: number[] = [];
  if (pressKeys) {
    let lr = HP.learningRate;
    const press = async (key: string, want: string) => {
      const t0 = performance.now();
      const seen = new Promise<void>((resolve) => {
        stdout.onWrite = (s) => {
          if (s.includes(want)) resolve();
        };
      });
      stdin.write(key);
      await Promise.race([seen, finished]);
      keyLatencyMs.push(performance.now() - t0);
      stdout.onWrite = undefined;
    };
    while (!began) await new Promise((r) => setTimeout(r, 10));
    for (let i = 0; !ended && i < 12; i++) {
      await new Promise((r) => setTimeout(r, 120));
      if (ended) break;
      const up = i % 2 === 0;
      lr = up ? lr * 2 : lr / 2;
      await press(up ? ']' : '[', `lr ${up ? '2e-3' : '1e-3'}`);
    }
  }
  await finished;
  const frames = renderMs.length - framesBefore;
  app.unmount();
  await real.dispose();
  return { seconds: (ended - began) / 1000, elu, frames, renderMs, keyLatencyMs };
}

export async function run(): Promise<BenchRow[]> {
  const dataset = await loadDataset({ env: process.env });
  const plain: { seconds: number; elu: number }[] = [];
  const tui: TuiRun[] = [];
  // Alternate, so drifting machine load hits both sides alike.
  await plainEpoch(dataset); // warm-up: first session creation, JIT
  for (let i = 0; i < ROUNDS; i++) {
    if (i % 2 === 0) {
      plain.push(await plainEpoch(dataset));
      tui.push(await tuiEpoch(dataset, false));
    } else {
      tui.push(await tuiEpoch(dataset, false));
      plain.push(await plainEpoch(dataset));
    }
  }
  const keys = await tuiEpoch(dataset, true);
  const p = median(plain.map((r) => r.seconds));
  const t = median(tui.map((r) => r.seconds));
  const allRender = tui.flatMap((r) => r.renderMs);
  const latencies = [...keys.keyLatencyMs].sort((a, b) => a - b);
  return [
    {
      name: 'tui: epoch inside the app / plain train loop',
      value: t / p,
      unit: 'ratio',
      target: '≤ 1.05',
      detail: {
        plainSeconds: plain.map((r) => r.seconds),
        tuiSeconds: tui.map((r) => r.seconds),
        plainEventLoopUtilization: plain.map((r) => r.elu),
        tuiEventLoopUtilization: tui.map((r) => r.elu),
        data: dataset.source.description,
        trainImages: dataset.train.count,
      },
    },
    {
      name: 'tui: frames drawn per second while training',
      value: median(tui.map((r) => r.frames / r.seconds)),
      unit: 'fps',
      target: '10–15',
    },
    {
      name: 'tui: median render time per frame',
      value: median(allRender),
      unit: 'ms',
      detail: { max: Math.max(...allRender) },
    },
    {
      name: 'tui: key press → frame showing it, median while training',
      value: median(latencies),
      unit: 'ms',
      target: '< 200 ms',
      detail: { samples: latencies, max: latencies[latencies.length - 1] },
    },
  ];
}
