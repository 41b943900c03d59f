# Runs a run folder's model.onnx through OpenCV's DNN module (Debian's python3-opencv) on the
# 10,000 test images and compares it with PyTorch running the same folder's model.py +
# model.safetensors (strict load): max |Δ| of the outputs, argmax agreement, both accuracies.
# The LAYERS issue asks that OpenCV runs the export as well as onnxruntime; this is the by-hand
# check (OpenCV is not a test dependency; onnxruntime's side is `fmnist-tui verify`).
# Usage: /usr/bin/python3 scripts/check-opencv-dnn.py RUN_DIR DATA_DIR
import json, runpy, struct, sys
import cv2, numpy as np, torch
from fmnist_idx import load_split

run_dir, d = sys.argv[1], sys.argv[2]

def load_safetensors(path):
    raw = open(path, 'rb').read()
    (n,) = struct.unpack('<Q', raw[:8])
    header = json.loads(raw[8:8 + n]); header.pop('__metadata__', None)
    return {k: torch.from_numpy(np.frombuffer(raw[8 + n + t['data_offsets'][0]:8 + n + t['data_offsets'][1]],
                                              dtype='<f4').copy().reshape(t['shape'])) for k, t in header.items()}

images, y = load_split(d, 'test')
x = images.reshape(-1, 1, 28, 28).astype(np.float32) / 255

net = cv2.dnn.readNetFromONNX(f'{run_dir}/model.onnx')
outs = []
for i in range(0, len(x), 500):
    net.setInput(x[i:i + 500]); outs.append(net.forward().copy())
cv_out = np.concatenate(outs).reshape(len(x), -1)

model = runpy.run_path(f'{run_dir}/model.py')['NeuralNetwork']()
model.load_state_dict(load_safetensors(f'{run_dir}/model.safetensors'), strict=True)
model.eval()
with torch.no_grad():
    torch_out = model(torch.from_numpy(x)).numpy()

print(json.dumps({
    'opencv': cv2.__version__, 'images': len(x),
    'max_abs_diff': float(np.abs(cv_out - torch_out).max()),
    'argmax_agreement': int((cv_out.argmax(1) == torch_out.argmax(1)).sum()),
    'opencv_accuracy': float((cv_out.argmax(1) == y).mean()), 'torch_accuracy': float((torch_out.argmax(1) == y).mean()),
}))
