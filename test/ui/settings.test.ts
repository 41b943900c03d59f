import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { runConfig } from '../../src/commands/config.js';
import { PRESETS } from '../../src/core/model/spec.js';
import { OPTIMIZER_DEFAULTS, SEED_HYPERPARAMETERS } from '../../src/core/train/hyperparameters.js';
import { openSettings, resetSettings } from '../../src/io/settings.js';
import { prefill } from '../../src/ui/prefill.js';

const dirs: string[] = [];
const temp = () => {
  const d = mkdtempSync(join(tmpdir(), 'fmnist-settings-'));
  dirs.push(d);
  return d;
};
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function capture() {
  let out = '';
  const stream = { write: (s: string) => ((out += s), true) } as unknown as NodeJS.WritableStream;
  return { stream, text: () => out };
}

describe('settings (conf)', () => {
  it('round-trips the last-used values', () => {
    const cwd = temp();
    const hp = { ...SEED_HYPERPARAMETERS, learningRate: 0.05, epochs: 3 };
    openSettings({ cwd }).save({ spec: PRESETS.recommended, hyperparameters: hp, engine: 'tfjs' });
    const loaded = openSettings({ cwd }).load();
    assert.deepEqual(loaded, { spec: PRESETS.recommended, hyperparameters: hp, engine: 'tfjs' });
  });
  it('drops stored values that no longer validate', () => {
    const cwd = temp();
    const s = openSettings({ cwd });
    s.save({ hyperparameters: { ...SEED_HYPERPARAMETERS, learningRate: -1 }, engine: 'nope' as 'onnx' });
    assert.deepEqual(openSettings({ cwd }).load(), {});
  });
  it('FMNIST_CONFIG_DIR moves the file; reset forgets', () => {
    const cwd = temp();
    const s = openSettings({ env: { FMNIST_CONFIG_DIR: cwd } });
    assert.equal(s.path, join(cwd, 'config.json'));
    s.save({ engine: 'tfjs' });
    resetSettings({ cwd });
    assert.deepEqual(openSettings({ cwd }).load(), {});
  });
  it('a corrupt file is one clear line; --reset repairs it', async () => {
    const cwd = temp();
    writeFileSync(join(cwd, 'config.json'), '{not json');
    assert.throws(() => openSettings({ cwd }), /the settings file is not valid JSON .*run 'fmnist-tui config --reset'/);
    const out = capture();
    assert.equal(
      await runConfig(['--reset'], {
        stdout: out.stream,
        stderr: out.stream,
        env: { FMNIST_CONFIG_DIR: cwd },
        debug: false,
      }),
      0,
    );
    assert.match(out.text(), /^settings reset \(.*config\.json\)\n$/);
    assert.deepEqual(JSON.parse(readFileSync(join(cwd, 'config.json'), 'utf8')), {});
  });
  it('config --path prints the path; config shows the values', async () => {
    const cwd = temp();
    openSettings({ cwd }).save({ engine: 'tfjs' });
    const out = capture();
    await runConfig(['--path'], {
      stdout: out.stream,
      stderr: out.stream,
      env: { FMNIST_CONFIG_DIR: cwd },
      debug: false,
    });
    assert.equal(out.text(), `${join(cwd, 'config.json')}\n`);
    const show = capture();
    await runConfig([], { stdout: show.stream, stderr: show.stream, env: { FMNIST_CONFIG_DIR: cwd }, debug: false });
    assert.match(show.text(), /"engine": "tfjs"/);
  });
  it('config refuses an unknown flag in one line', async () => {
    const out = capture();
    await assert.rejects(
      runConfig(['--bogus'], { stdout: out.stream, stderr: out.stream, env: {}, debug: false }),
      /Unknown option '--bogus' \(see 'fmnist-tui config --help'\)/,
    );
  });
});

describe('prefill: flags, then stored settings, then the seed', () => {
  const stored = {
    hyperparameters: { ...SEED_HYPERPARAMETERS, learningRate: 0.05 },
    spec: PRESETS.recommended,
    engine: 'tfjs' as const,
  };
  it('no flags: the stored values', () => {
    const p = prefill([], stored);
    assert.equal(p.hyperparameters?.learningRate, 0.05);
    assert.equal(p.spec?.finalActivation, 'none');
    assert.equal(p.engine, 'tfjs');
  });
  it('flags win', () => {
    const p = prefill(['--lr', '0.1', '--preset', 'seed', '--engine', 'onnx', '--epochs', '1'], stored);
    assert.equal(p.hyperparameters?.learningRate, 0.1);
    assert.equal(p.hyperparameters?.epochs, 1);
    assert.equal(p.spec?.finalActivation, 'relu');
    assert.equal(p.engine, 'onnx');
  });
  it('nothing stored: the seed program', () => {
    const p = prefill([], {});
    assert.deepEqual(p.hyperparameters, SEED_HYPERPARAMETERS);
    assert.match(p.saveDir, /^runs\/\d{4}-/);
  });
  it('flags change only what they name: remembered batch 8 and adam survive --epochs 2 (UX 7)', () => {
    const remembered = {
      hyperparameters: {
        ...SEED_HYPERPARAMETERS,
        batchSize: 8,
        optimizer: { ...OPTIMIZER_DEFAULTS.adam, beta2: 0.99 },
        schedule: { kind: 'step' as const, stepSize: 500, gamma: 0.5 },
      },
      spec: { ...PRESETS.recommended, hidden: [{ units: 128, activation: 'tanh' as const, dropout: 0.1 }] },
      engine: 'tfjs' as const,
    };
    const p = prefill(['--epochs', '2'], remembered);
    assert.deepEqual(p.hyperparameters, { ...remembered.hyperparameters, epochs: 2 });
    assert.deepEqual(p.spec, remembered.spec);
    assert.equal(p.engine, 'tfjs');
    const q = prefill(['--hidden', '64', '--beta1', '0.8', '--loss', 'nll'], remembered);
    assert.deepEqual(q.spec?.hidden, [{ units: 64, activation: 'tanh', dropout: 0.1 }]);
    assert.equal(q.spec?.logSoftmax, true);
    assert.deepEqual(q.hyperparameters?.optimizer, { ...remembered.hyperparameters.optimizer, beta1: 0.8 });
    assert.equal(q.hyperparameters?.batchSize, 8);
    assert.deepEqual(prefill(['--optimizer', 'sgd'], remembered).hyperparameters?.optimizer, OPTIMIZER_DEFAULTS.sgd);
  });
  it('--save names the folder', () => assert.equal(prefill(['--save', 'runs/x'], {}).saveDir, 'runs/x'));
  it('train-only flags are refused in one line', () => {
    assert.throws(() => prefill(['--json'], {}), /--json is for 'fmnist-tui train', not the interactive session/);
  });
  it('a bad flag value is refused before the app starts', () => {
    assert.throws(() => prefill(['--lr', '0'], {}), /learning rate/);
  });
  it("a flag error points at the help that lists the session's flags", () => {
    assert.throws(
      () => prefill(['--bogus'], {}),
      /^UsageError: Unknown option '--bogus' \(see 'fmnist-tui train --help'\)$/,
    );
  });
});
