import type { Hyperparameters, OptimizerOptions, Schedule } from './hyperparameters.js';

/** "sgd" / "adam (betas 0.9, 0.999, eps 1e-8)"…: only what differs from a plain optimizer is named. */
export function describeOptimizer(o: OptimizerOptions): string {
  const extras: string[] = [];
  if (o.kind === 'sgd') {
    if (o.momentum > 0) extras.push(`momentum ${o.momentum}`);
    if (o.dampening > 0) extras.push(`dampening ${o.dampening}`);
    if (o.nesterov) extras.push('nesterov');
  } else if (o.kind === 'adam' || o.kind === 'adamw') {
    extras.push(`betas ${o.beta1}, ${o.beta2}`, `eps ${o.eps}`);
    if (o.amsgrad) extras.push('amsgrad');
  } else {
    extras.push(`alpha ${o.alpha}`, `eps ${o.eps}`);
    if (o.momentum > 0) extras.push(`momentum ${o.momentum}`);
    if (o.centered) extras.push('centered');
  }
  if (o.weightDecay > 0) extras.push(`weight decay ${o.weightDecay}`);
  return extras.length > 0 ? `${o.kind} (${extras.join(', ')})` : o.kind;
}

export function describeSchedule(s: Schedule): string {
  if (s.kind === 'onecycle') return 'onecycle (max lr = lr, momentum 0.95 → 0.85 → 0.95)';
  const warmup = s.warmupSteps ? `${s.warmupSteps} warm-up steps, then ` : '';
  if (s.kind === 'constant') return warmup ? `${warmup}constant` : 'constant';
  if (s.kind === 'step') return `${warmup}step (×${s.gamma} every ${s.stepSize} steps)`;
  return `${warmup}cosine (to ${s.etaMin}${s.tMax > 0 ? ` over ${s.tMax} steps` : ''})`;
}

/** "sgd, lr 0.001 constant, batch 64, 10 epochs, cross_entropy, no shuffle, seed 0" */
export function describeHyperparameters(hp: Hyperparameters): string {
  return [
    describeOptimizer(hp.optimizer),
    `lr ${hp.learningRate} ${describeSchedule(hp.schedule)}`,
    `batch ${hp.batchSize}`,
    `${hp.epochs} epoch${hp.epochs === 1 ? '' : 's'}`,
    hp.labelSmoothing ? `${hp.loss} (label smoothing ${hp.labelSmoothing})` : hp.loss,
    hp.shuffle ? 'shuffled' : 'no shuffle',
    `seed ${hp.seed}`,
  ].join(', ');
}
