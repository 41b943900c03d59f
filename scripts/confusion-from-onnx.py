#!/usr/bin/env python3
"""An independent confusion matrix for `fmnist-tui analyze`'s test: runs an exported model.onnx
with numpy (not onnxruntime, not fmnist-tui's code) over the Fashion-MNIST test split and prints
{"confusion": [[...]], "accuracy": x} as JSON.

usage: /usr/bin/python3 scripts/confusion-from-onnx.py MODEL.onnx DATA_DIR
Needs the `onnx` and `numpy` packages. Supports the ops fmnist-tui's MLP exports use; any other
op exits with status 3 and names it (the test then skips)."""
import json, sys

import numpy as np
import onnx
from onnx import numpy_helper

from fmnist_idx import find, read_idx


def attr(node, name, default):
    for a in node.attribute:
        if a.name == name:
            return onnx.helper.get_attribute_value(a)
    return default


def run(model, x):
    env = {t.name: numpy_helper.to_array(t).astype(np.float32) for t in model.graph.initializer}
    env[model.graph.input[0].name] = x
    for node in model.graph.node:
        i = [env[n] if n else None for n in node.input]
        op = node.op_type
        if op == 'Flatten':
            axis = attr(node, 'axis', 1)
            y = i[0].reshape(int(np.prod(i[0].shape[:axis])), -1)
        elif op == 'Gemm':
            a = i[0].T if attr(node, 'transA', 0) else i[0]
            b = i[1].T if attr(node, 'transB', 0) else i[1]
            y = attr(node, 'alpha', 1.0) * (a @ b)
            if len(i) > 2 and i[2] is not None:
                y = y + attr(node, 'beta', 1.0) * i[2]
        elif op == 'MatMul':
            y = i[0] @ i[1]
        elif op == 'Add':
            y = i[0] + i[1]
        elif op == 'Mul':
            y = i[0] * i[1]
        elif op == 'Div':
            y = i[0] / i[1]
        elif op == 'Relu':
            y = np.maximum(i[0], 0)
        elif op == 'LeakyRelu':
            y = np.where(i[0] >= 0, i[0], attr(node, 'alpha', 0.01) * i[0])
        elif op == 'Sigmoid':
            y = 1 / (1 + np.exp(-i[0]))
        elif op == 'Tanh':
            y = np.tanh(i[0])
        elif op == 'LogSoftmax':
            z = i[0] - i[0].max(axis=-1, keepdims=True)
            y = z - np.log(np.exp(z).sum(axis=-1, keepdims=True))
        elif op in ('Identity', 'Cast'):
            y = i[0]
        else:
            print(f'unsupported op {op}', file=sys.stderr)
            sys.exit(3)
        env[node.output[0]] = y.astype(np.float32)
    return env[model.graph.output[0].name]


def main():
    model = onnx.load(sys.argv[1])
    images = read_idx(find(sys.argv[2], 't10k-images-idx3-ubyte')).astype(np.float32) / 255
    labels = read_idx(find(sys.argv[2], 't10k-labels-idx1-ubyte'))
    logits = run(model, images.reshape(-1, 1, 28, 28))
    predicted = logits.argmax(axis=1)
    confusion = np.zeros((10, 10), dtype=np.int64)
    np.add.at(confusion, (labels, predicted), 1)
    print(json.dumps({'confusion': confusion.tolist(), 'accuracy': float((predicted == labels).mean())}))


main()
