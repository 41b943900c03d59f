"""The Fashion-MNIST IDX files (.gz or plain) read with numpy: the one reader of the reference scripts
in scripts/ and bench/ (the app's own reader is src/core/dataset).

    from fmnist_idx import load_split            # scripts/: beside this file
    images, labels = load_split(DATA_DIR, 'train')  # uint8 [60000, 28, 28], uint8 [60000]

From bench/, put scripts/ on the path first, relative to __file__ (the bench runs from anywhere)."""
import gzip, os, sys

import numpy as np

FILES = {
    'train': ('train-images-idx3-ubyte', 'train-labels-idx1-ubyte'),
    'test': ('t10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'),
}


def read_idx(path):
    """One IDX file as a read-only uint8 array of the shape its header gives."""
    opener = gzip.open if path.endswith('.gz') else open
    with opener(path, 'rb') as f:
        data = f.read()
    ndim = data[3]
    dims = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], 'big') for i in range(ndim)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def find(data_dir, name):
    """`name`.gz or `name` in data_dir; exits naming the file when neither is there."""
    for candidate in (name + '.gz', name):
        p = os.path.join(data_dir, candidate)
        if os.path.exists(p):
            return p
    sys.exit(f'{name} not found in {data_dir}')


def load_split(data_dir, split):
    """The 'train' or 'test' split: images [N, 28, 28] and labels [N], both uint8."""
    images, labels = FILES[split]
    return read_idx(find(data_dir, images)), read_idx(find(data_dir, labels))
