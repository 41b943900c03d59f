# Writes test/fixtures/torch-recipe-steps.json: what PyTorch 1.13.1 (float32, CPU) computes for the
# training-recipe knobs (label smoothing, AdamW, OneCycleLR with momentum / beta1 cycling, linear
# warm-up before a schedule) on the same tiny MLP, images, batches and initial weights as
# test/fixtures/torch-optim-steps.json (read from there, so both fixtures share their inputs).
# Run from the repository root: /usr/bin/python3 scripts/make-recipe-goldens.py
import json, math
import numpy as np, torch
from torch import nn

torch.set_num_threads(1)
base = json.load(open('test/fixtures/torch-optim-steps.json'))
X = torch.tensor(base['images'], dtype=torch.uint8).reshape(-1, 784).float() / 255
Y = torch.tensor(base['labels'], dtype=torch.int64)
batches = base['batches']
STEPS = len(batches)

class NeuralNetwork(nn.Module):
    def __init__(self):
        super().__init__()
        self.flatten = nn.Flatten()
        self.linear_relu_stack = nn.Sequential(nn.Linear(784, 4), nn.ReLU(), nn.Linear(4, 10))
    def forward(self, x): return self.linear_relu_stack(self.flatten(x))

def model():
    m = NeuralNetwork()
    sd = {k: torch.tensor(v['data'], dtype=torch.float32).reshape(v['shape']) for k, v in base['init_weights'].items()}
    m.load_state_dict(sd)
    return m

def flat(sd): return {k: v.detach().reshape(-1).tolist() for k, v in sd.items()}

def warmup_then(opt, warmup, after):
    """--warmup-epochs: LinearLR(start_factor=1/(W+1), total_iters=W), then `after` via SequentialLR."""
    first = torch.optim.lr_scheduler.LinearLR(opt, start_factor=1 / (warmup + 1), end_factor=1.0, total_iters=warmup)
    if after is None: return first
    return torch.optim.lr_scheduler.SequentialLR(opt, [first, after(opt)], milestones=[warmup])

def run(case):
    m = model()
    kind, options = case['optimizer'], dict(case['options'])
    cls = {'sgd': torch.optim.SGD, 'adam': torch.optim.Adam, 'adamw': torch.optim.AdamW, 'rmsprop': torch.optim.RMSprop}[kind]
    opt = cls(m.parameters(), **{k: tuple(v) if k == 'betas' else v for k, v in options.items()})
    s = case.get('schedule')
    sched = None
    if s:
        if s['kind'] == 'onecycle':
            sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=options['lr'], total_steps=STEPS)
        else:
            after = None
            if s['kind'] == 'cosine':
                after = lambda o: torch.optim.lr_scheduler.CosineAnnealingLR(o, T_max=STEPS - s['warmup'])
            elif s['kind'] == 'step':
                after = lambda o: torch.optim.lr_scheduler.StepLR(o, step_size=s['step_size'], gamma=s['gamma'])
            sched = warmup_then(opt, s['warmup'], after) if s.get('warmup') else after(opt)
    loss_fn = nn.CrossEntropyLoss(label_smoothing=case.get('label_smoothing', 0.0))
    losses, lrs, momenta, grads0, test_losses = [], [], [], None, []
    for i, (a, b) in enumerate(batches):
        g = opt.param_groups[0]
        lrs.append(g['lr'])
        momenta.append(g['betas'][0] if 'betas' in g else g.get('momentum', 0.0))
        loss = loss_fn(m(X[a:b]), Y[a:b])
        opt.zero_grad(); loss.backward()
        if i == 0: grads0 = {k: p.grad.reshape(-1).tolist() for k, p in m.named_parameters()}
        opt.step()
        if sched: sched.step()
        losses.append(loss.item())
    with torch.no_grad():
        per_sample = nn.CrossEntropyLoss(label_smoothing=case.get('label_smoothing', 0.0), reduction='none')(m(X), Y)
    out = dict(case, losses=losses, lrs=lrs, grads_step0=grads0, final_weights=flat(m.state_dict()))
    if s and s['kind'] == 'onecycle': out['momenta'] = momenta
    if case.get('label_smoothing'): out['eval_losses'] = per_sample.tolist()
    return out

base_case = {'loss': 'cross_entropy', 'activation': 'relu', 'final_activation': 'none'}
cases = [
    {'optimizer': 'sgd', 'options': {'lr': 0.1, 'momentum': 0.9}, 'label_smoothing': 0.1},
    {'optimizer': 'adam', 'options': {'lr': 0.01}, 'label_smoothing': 0.3},
    {'optimizer': 'adamw', 'options': {'lr': 0.01}},
    {'optimizer': 'adamw', 'options': {'lr': 0.01, 'betas': [0.8, 0.99], 'weight_decay': 0.1, 'amsgrad': True}},
    {'optimizer': 'sgd', 'options': {'lr': 0.1, 'momentum': 0.9}, 'schedule': {'kind': 'onecycle'}},
    {'optimizer': 'sgd', 'options': {'lr': 0.1, 'momentum': 0.9, 'nesterov': True}, 'schedule': {'kind': 'onecycle'}},
    {'optimizer': 'adam', 'options': {'lr': 0.01}, 'schedule': {'kind': 'onecycle'}},
    {'optimizer': 'adamw', 'options': {'lr': 0.01}, 'schedule': {'kind': 'onecycle'}, 'label_smoothing': 0.1},
    {'optimizer': 'sgd', 'options': {'lr': 0.1, 'momentum': 0.9}, 'schedule': {'kind': 'constant', 'warmup': 2}},
    {'optimizer': 'sgd', 'options': {'lr': 0.1, 'momentum': 0.9}, 'schedule': {'kind': 'cosine', 'warmup': 2}},
    {'optimizer': 'adam', 'options': {'lr': 0.01}, 'schedule': {'kind': 'step', 'warmup': 3, 'step_size': 2, 'gamma': 0.5}},
]
json.dump({
    'about': 'PyTorch 1.13.1 (float32, CPU) reference for the training-recipe knobs, on the images, batches and initial '
             'weights of torch-optim-steps.json (784-4-10 MLP, ReLU, CrossEntropyLoss). label_smoothing: '
             'CrossEntropyLoss(label_smoothing=x); eval_losses are the per-sample losses (reduction none) of all 58 images '
             'after the last step. adamw: torch.optim.AdamW (default weight_decay 0.01). schedule onecycle: '
             'OneCycleLR(max_lr=lr, total_steps=6) with its defaults (pct_start 0.3, cos, div_factor 25, '
             'final_div_factor 1e4, cycle_momentum True, base/max momentum 0.85/0.95); momenta is the momentum (SGD) or '
             'beta1 (Adam, AdamW) used at each step. warmup W: LinearLR(start_factor=1/(W+1), end_factor=1, total_iters=W) '
             'alone (constant) or followed through SequentialLR(milestones=[W]) by CosineAnnealingLR(T_max=6-W) or '
             'StepLR(step_size, gamma). Schedulers step after every optimizer step.',
    'cases': [run(dict(base_case, **c)) for c in cases],
}, open('test/fixtures/torch-recipe-steps.json', 'w'))
print('wrote test/fixtures/torch-recipe-steps.json')
