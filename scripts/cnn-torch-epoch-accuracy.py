# The LAYERS check "its epoch accuracy to 0.3 pp": trains a CNN with every trainable layer kind
# (no Dropout, no shuffle, so nothing random after initialisation) for whole epochs under PyTorch
# from torch.manual_seed(SEED), printing the seed program's lines (loss every 100 batches, test
# accuracy and loss per epoch), so they can be compared with
#   fmnist-tui train --layers "<the same list>" --optimizer adam --lr 1e-3 --seed SEED --epochs E
# Usage: /usr/bin/python3 scripts/cnn-torch-epoch-accuracy.py DATA_DIR [EPOCHS] [SEED] [adam|sgd]
# (sgd: torch.optim.SGD lr 1e-3, to compare with --optimizer sgd --lr 1e-3)
import sys
import numpy as np, torch
from torch import nn
from fmnist_idx import load_split

d = sys.argv[1]
epochs = int(sys.argv[2]) if len(sys.argv) > 2 else 1
seed = int(sys.argv[3]) if len(sys.argv) > 3 else 0
optimizer = sys.argv[4] if len(sys.argv) > 4 else 'adam'
LAYERS = ('Conv2d(16,3,padding=1) BatchNorm2d ReLU MaxPool2d(2) Conv2d(32,3,padding=1) BatchNorm2d ReLU '
          'AvgPool2d(2) Flatten Linear(128) BatchNorm1d Tanh Linear(10)')

(train_images, train_labels), (test_images, test_labels) = load_split(d, 'train'), load_split(d, 'test')
X = torch.from_numpy(train_images.reshape(-1, 1, 28, 28).copy()).float() / 255
y = torch.from_numpy(train_labels.astype(np.int64))
Xt = torch.from_numpy(test_images.reshape(-1, 1, 28, 28).copy()).float() / 255
yt = torch.from_numpy(test_labels.astype(np.int64))

class NeuralNetwork(nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = nn.Sequential(
            nn.Conv2d(1, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.AvgPool2d(2),
            nn.Flatten(), nn.Linear(1568, 128), nn.BatchNorm1d(128), nn.Tanh(), nn.Linear(128, 10))
    def forward(self, x): return self.layers(x)

torch.manual_seed(seed)
model = NeuralNetwork()
opt = (torch.optim.SGD if optimizer == 'sgd' else torch.optim.Adam)(model.parameters(), lr=1e-3)
loss_fn = nn.CrossEntropyLoss()
print(f'# layers: {LAYERS}', flush=True)
for epoch in range(epochs):
    print(f'Epoch {epoch + 1}\n-------------------------------')
    model.train()
    for batch, i in enumerate(range(0, len(X), 64)):
        loss = loss_fn(model(X[i:i + 64]), y[i:i + 64])
        opt.zero_grad(); loss.backward(); opt.step()
        if batch % 100 == 0:
            print(f'loss: {loss.item():>7f}  [{i:>5d}/{len(X):>5d}]', flush=True)
    model.eval(); correct = 0; total = 0.0; n = 0
    with torch.no_grad():
        for i in range(0, len(Xt), 64):
            out = model(Xt[i:i + 64]); total += loss_fn(out, yt[i:i + 64]).item(); n += 1
            correct += (out.argmax(1) == yt[i:i + 64]).sum().item()
    print(f'Test Error: \n Accuracy: {100 * correct / len(Xt):>0.1f}%, Avg loss: {total / n:>8f} \n', flush=True)
    print(f'# exact accuracy: {100 * correct / len(Xt):.2f}%', flush=True)
