/**
 * The last-used model and hyperparameters, kept with conf in the user's config directory
 * (~/.config/fmnist-tui-nodejs/config.json on Linux) so the next session starts from them.
 * FMNIST_CONFIG_DIR moves the file (tests and the tmux test use a temporary folder).
 */
import Conf from 'conf';
import { validateModelSpec, type ModelSpec } from '../core/model/spec.js';
import { ENGINE_NAMES, type EngineName } from '../core/train/engine.js';
import { validateHyperparameters, type Hyperparameters } from '../core/train/hyperparameters.js';
import { UserError } from '../core/errors.js';
import { makeDirectorySync } from './fs-safe.js';

export interface StoredSettings {
  readonly spec?: ModelSpec;
  readonly hyperparameters?: Hyperparameters;
  readonly engine?: EngineName;
}

export interface SettingsOptions {
  /** Folder for config.json; default FMNIST_CONFIG_DIR, else the user's config directory. */
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
}

export interface SettingsStore {
  /** Absolute path of the settings file. */
  readonly path: string;
  /** Stored values that still validate; anything invalid or from an older shape is left out. */
  load(): StoredSettings;
  save(settings: StoredSettings): void;
  /** Forget everything stored. */
  reset(): void;
}

type Shape = { version?: number; spec?: unknown; hyperparameters?: unknown; engine?: unknown };

const VERSION = 1;

function open(options: SettingsOptions, clearInvalidConfig: boolean): Conf<Shape> {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? (env.FMNIST_CONFIG_DIR || undefined);
  if (cwd)
    try {
      // conf's own recursive mkdir never returns on paths like /proc/nope (and ignores Ctrl-C there).
      makeDirectorySync(cwd, `the settings folder ${cwd}`);
    } catch (err) {
      throw new UserError(`${(err as Error).message} (set FMNIST_CONFIG_DIR to a writable folder)`);
    }
  try {
    return new Conf<Shape>({ projectName: 'fmnist-tui', ...(cwd ? { cwd } : {}), clearInvalidConfig });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e instanceof SyntaxError || /JSON/.test(e.message))
      throw new UserError(
        `the settings file is not valid JSON (${e.message.split('\n')[0]}); run 'fmnist-tui config --reset'`,
      );
    throw new UserError(
      `cannot open the settings${cwd ? ` in ${cwd}` : ''}: ${e.code ?? e.message.split('\n')[0]} (set FMNIST_CONFIG_DIR to a writable folder)`,
    );
  }
}

/** Opens the settings file (creating its folder). Throws a UserError when it is unreadable. */
export function openSettings(options: SettingsOptions = {}): SettingsStore {
  const conf = open(options, false);
  return {
    path: conf.path,
    load() {
      const s = conf.store;
      const out: { spec?: ModelSpec; hyperparameters?: Hyperparameters; engine?: EngineName } = {};
      if (s.version !== VERSION) return out;
      try {
        if (s.spec) out.spec = validateModelSpec(s.spec as ModelSpec);
      } catch {
        // an invalid stored model falls back to the default
      }
      try {
        if (s.hyperparameters) out.hyperparameters = validateHyperparameters(s.hyperparameters as Hyperparameters);
      } catch {
        // likewise
      }
      if (typeof s.engine === 'string' && (ENGINE_NAMES as readonly string[]).includes(s.engine))
        out.engine = s.engine as EngineName;
      return out;
    },
    save(settings) {
      // One write: the current version last, so an older stored one cannot win.
      conf.store = { ...conf.store, ...JSON.parse(JSON.stringify(settings)), version: VERSION };
    },
    reset() {
      conf.clear();
    },
  };
}

/** Clears the settings even when the file is corrupt; returns its path. */
export function resetSettings(options: SettingsOptions = {}): string {
  const conf = open(options, true);
  conf.clear();
  return conf.path;
}

/** Where the settings live, without failing on a corrupt file. */
export function settingsPath(options: SettingsOptions = {}): string {
  return open(options, true).path;
}
