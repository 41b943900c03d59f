# One epoch of the `cnn` preset's CNN under PyTorch (the bench's reference, run by cnn.bench.ts):
# the full Fashion-MNIST training set in batches of 64 (no shuffle), Adam lr 1e-3, then the test
# pass; PyTorch at its default threads. Prints {"seconds", "cpu_seconds", "test_seconds", "threads"}.
import json, os, sys, time
import numpy as np, torch
from torch import nn

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'scripts'))
from fmnist_idx import load_split  # noqa: E402

d = sys.argv[1]
(train_images, train_labels), (test_images, _) = load_split(d, 'train'), load_split(d, 'test')
X = torch.from_numpy(train_images.reshape(-1, 1, 28, 28).copy()).float() / 255
y = torch.from_numpy(train_labels.astype(np.int64))
Xt = torch.from_numpy(test_images.reshape(-1, 1, 28, 28).copy()).float() / 255
torch.manual_seed(0)
model = nn.Sequential(
    nn.Conv2d(1, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(16, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
    nn.Flatten(), nn.Dropout(0.25), nn.Linear(1568, 128), nn.ReLU(), nn.Linear(128, 10))
opt = torch.optim.Adam(model.parameters(), lr=1e-3); loss_fn = nn.CrossEntropyLoss()
t0, c0 = time.time(), time.process_time()
model.train()
for i in range(0, len(X), 64):
    loss = loss_fn(model(X[i:i + 64]), y[i:i + 64]); opt.zero_grad(); loss.backward(); opt.step()
t1 = time.time()
model.eval()
with torch.no_grad():
    for i in range(0, len(Xt), 64): model(Xt[i:i + 64])
print(json.dumps({'seconds': time.time() - t0, 'train_seconds': t1 - t0, 'cpu_seconds': time.process_time() - c0,
                  'threads': torch.get_num_threads()}))
