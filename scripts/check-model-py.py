# Loads a run folder's model.py and model.safetensors into PyTorch exactly as a user would
# (NeuralNetwork().load_state_dict(..., strict=True)), then prints the eval-mode logits of the
# images in a raw uint8 file as JSON. The safetensors Python package is not installed here
# (Debian has no python3-safetensors), so the file is read by hand: 8-byte header length, JSON
# header, raw little-endian tensors; F32 only, as fmnist-tui writes. Usage:
#   /usr/bin/python3 scripts/check-model-py.py RUN_DIR IMAGES.u8 COUNT [SEED]
# With SEED, also prints whether torch.manual_seed(SEED); NeuralNetwork() equals model.safetensors.
import json, struct, sys, runpy
import numpy as np, torch

run_dir, images_path, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
ns = runpy.run_path(f'{run_dir}/model.py')
NeuralNetwork = ns['NeuralNetwork']

def load_file(path):
    raw = open(path, 'rb').read()
    (n,) = struct.unpack('<Q', raw[:8])
    header = json.loads(raw[8:8 + n])
    header.pop('__metadata__', None)
    out = {}
    for name, t in header.items():
        assert t['dtype'] == 'F32', t['dtype']
        a, b = t['data_offsets']
        out[name] = torch.from_numpy(np.frombuffer(raw[8 + n + a:8 + n + b], dtype='<f4').copy().reshape(t['shape']))
    return out

state = load_file(f'{run_dir}/model.safetensors')
model = NeuralNetwork()
model.load_state_dict(state, strict=True)
model.eval()
pixels = np.fromfile(images_path, dtype=np.uint8)[: count * 784].reshape(count, 1, 28, 28)
with torch.no_grad():
    logits = model(torch.from_numpy(pixels).float() / 255)
result = {'logits': logits.flatten().tolist()}
if len(sys.argv) > 4:
    torch.manual_seed(int(sys.argv[4]))
    fresh = NeuralNetwork().state_dict()
    result['init_equal'] = all(torch.equal(fresh[k].float(), state[k]) for k in fresh)
print(json.dumps(result))
