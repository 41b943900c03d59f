import type { DataSource } from '../core/dataset/types.js';
import { describeModel, parameterCount, type ModelSpec } from '../core/model/spec.js';
import type { Hyperparameters } from '../core/train/hyperparameters.js';
import { describeHyperparameters } from '../core/train/describe.js';

export interface HeaderInfo {
  readonly source: DataSource;
  readonly trainSize: number;
  readonly testSize: number;
  readonly engine: string;
  readonly backend: string;
  readonly spec: ModelSpec;
  readonly hyperparameters: Hyperparameters;
}

const n = (x: number) => x.toLocaleString('en-US');

/** A few lines for stderr saying what is about to run, so stdout stays the seed's lines. */
export function headerLines(info: HeaderInfo): string[] {
  const data = `data:   ${info.source.description}: ${n(info.trainSize)} train / ${n(info.testSize)} test images`;
  return [
    data,
    `engine: ${info.engine} (${info.backend})`,
    `model:  ${describeModel(info.spec)} (${n(parameterCount(info.spec))} parameters)`,
    `train:  ${describeHyperparameters(info.hyperparameters)}`,
  ];
}
