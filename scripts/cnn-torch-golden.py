# Writes test/fixtures/cnn-torch-steps.json: what PyTorch computes for a small CNN with every layer kind
# (run from the repo root: /usr/bin/python3 scripts/cnn-torch-golden.py).
# PyTorch 1.13 (Debian python3-torch), float32 CPU, 48 real Fashion-MNIST test images (gz IDX from
# /usr/share/datasets/fashion-mnist), batches of 16, no shuffle, no dropout randomness (Dropout(0)).
import json
import numpy as np, torch
from torch import nn
from fmnist_idx import load_split

LAYERS = ('Conv2d(4,3,padding=1) BatchNorm2d ReLU MaxPool2d(2) Conv2d(6,3,stride=2,padding=1) Tanh '
          'MaxPool2d(3,stride=2) AvgPool2d(2,stride=1) Flatten Linear(16) BatchNorm1d LeakyReLU Dropout(0) '
          'Sigmoid Linear(10) LogSoftmax')

def build():
    return nn.Sequential(
        nn.Conv2d(1, 4, 3, padding=1), nn.BatchNorm2d(4), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(4, 6, 3, stride=2, padding=1), nn.Tanh(), nn.MaxPool2d(3, stride=2), nn.AvgPool2d(2, stride=1),
        nn.Flatten(), nn.Linear(24, 16), nn.BatchNorm1d(16), nn.LeakyReLU(), nn.Dropout(0.0), nn.Sigmoid(),
        nn.Linear(16, 10), nn.LogSoftmax(dim=1))

class NeuralNetwork(nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = build()
    def forward(self, x): return self.layers(x)

N = 48
test_images, test_labels = load_split('/usr/share/datasets/fashion-mnist', 'test')
images = test_images[:N].reshape(N * 784).copy()  # flat, as the fixture holds them
labels = test_labels[:N].copy()
X = torch.from_numpy(images.reshape(-1, 1, 28, 28)).float() / 255
y = torch.from_numpy(labels.astype(np.int64))
batches = [[0, 16], [16, 32], [32, 48]]

def sd_json(model):
    return {k: {'shape': list(v.shape), 'data': v.detach().double().flatten().tolist()} for k, v in model.state_dict().items()}

out = {'about': 'PyTorch %s (float32, CPU): NeuralNetwork with self.layers = nn.Sequential(%s) (the fmnist-tui --layers '
       'string in "layers"). init_seeds: state_dict after torch.manual_seed(s); NeuralNetwork() (num_batches_tracked as a '
       'float). cases: from the seed-0 init, train mode, NLLLoss, each step on images[a:b] (pixel/255); losses per step, '
       'the first step\'s gradients, the final state_dict (running statistics included) and the eval-mode output on all '
       'images after the steps.' % (torch.__version__, LAYERS),
       'layers': LAYERS, 'images': images.tolist(), 'labels': labels.tolist(), 'batches': batches, 'init_seeds': {}, 'cases': []}
for s in [0, 1, 42]:
    torch.manual_seed(s)
    out['init_seeds'][str(s)] = sd_json(NeuralNetwork())

for name, make, kw in [('sgd', torch.optim.SGD, {'lr': 0.1, 'momentum': 0.9}), ('adam', torch.optim.Adam, {'lr': 0.01})]:
    torch.manual_seed(0)
    model = NeuralNetwork()
    model.train()
    opt = make(model.parameters(), **kw)
    loss_fn = nn.NLLLoss()
    losses = []; grads0 = None
    for a, b in batches:
        loss = loss_fn(model(X[a:b]), y[a:b])
        opt.zero_grad(); loss.backward()
        if grads0 is None:
            grads0 = {k: {'shape': list(p.grad.shape), 'data': p.grad.double().flatten().tolist()} for k, p in model.named_parameters()}
        opt.step(); losses.append(loss.item())
    model.eval()
    with torch.no_grad(): ev = model(X)
    out['cases'].append({'optimizer': name, 'options': {k: v for k, v in kw.items() if k != 'lr'}, 'lr': kw['lr'], 'losses': losses,
                         'grads_step0': grads0, 'final_state': sd_json(model), 'eval_output': ev.double().flatten().tolist()})
json.dump(out, open('test/fixtures/cnn-torch-steps.json', 'w'))
print('wrote test/fixtures/cnn-torch-steps.json', [c['losses'] for c in out['cases']])
