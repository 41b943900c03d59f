import { UsageError, UserError } from '../../core/errors.js';
import type { EngineOptions } from '../../core/train/engine.js';
import type { OnnxEngineSettings } from '../settings.js';

/** The Engine methods the worker serves. */
export type EngineMethod =
  | 'trainSteps'
  | 'evaluate'
  | 'predict'
  | 'getParameters'
  | 'setParameters'
  | 'getOptimizerState'
  | 'setOptimizerState'
  | 'dispose';

export interface InitMessage {
  readonly options: EngineOptions;
  readonly settings: Omit<OnnxEngineSettings, 'worker'>;
}
export interface CallMessage {
  readonly id: number;
  readonly method: EngineMethod;
  readonly args: unknown[];
}
export interface SerializedError {
  readonly name: string;
  readonly message: string;
  readonly exitCode?: number;
}
export type ReplyMessage =
  | { readonly id: number; readonly ok: true; readonly value: unknown }
  | { readonly id: number; readonly ok: false; readonly error: SerializedError };
/** The worker's first message: the engine is ready (id 0) or failed to start. */
export type ReadyMessage =
  | { readonly id: 0; readonly ok: true; readonly value: { backend: string } }
  | { readonly id: 0; readonly ok: false; readonly error: SerializedError };

export function serializeError(e: unknown): SerializedError {
  if (e instanceof UserError) return { name: e.name, message: e.message, exitCode: e.exitCode };
  if (e instanceof Error) return { name: e.name, message: e.message };
  return { name: 'Error', message: String(e) };
}

/** Rebuilds a worker's error on this side: UserErrors stay UserErrors (one line for the CLI). */
export function deserializeError(e: SerializedError): Error {
  if (e.name === 'UsageError') return new UsageError(e.message);
  if (e.name === 'UserError') return new UserError(e.message, { exitCode: e.exitCode });
  const error = new Error(e.message);
  error.name = e.name;
  return error;
}
