"""Write resources/digits.npz from scikit-learn's copy of the UCI handwritten digits (one-off, not a dependency).

Run it from a throwaway venv that has scikit-learn and numpy:

    python3 -m venv /tmp/skl && /tmp/skl/bin/pip install scikit-learn numpy
    /tmp/skl/bin/python scripts/make_digits.py

The file holds:
    images      uint8 (1797, 8, 8), values 0..16 (on-pixels counted in 4x4 blocks of a 32x32 bitmap)
    labels      int64 (1797,), digits 0..9
    train_index int64, 80% of each class, sorted
    test_index  int64, the other 20% of each class, sorted
The split is stratified and drawn from numpy's PCG64 with SPLIT_SEED, so running this again gives the
same bytes for the same source data.
"""

from __future__ import annotations

import gzip
import io
from importlib.resources import files
from pathlib import Path

import numpy as np

SPLIT_SEED = 20240601
TEST_FRACTION = 0.2
OUT = Path(__file__).resolve().parent.parent / "resources" / "digits.npz"


def read_sklearn_copy() -> tuple[np.ndarray, np.ndarray]:
    """sklearn/datasets/data/digits.csv.gz: one row per image, 64 pixel values then the label."""
    raw = (files("sklearn.datasets") / "data" / "digits.csv.gz").read_bytes()
    table = np.loadtxt(io.StringIO(gzip.decompress(raw).decode("ascii")), delimiter=",", dtype=np.int64)
    if table.shape != (1797, 65):
        raise SystemExit(f"digits.csv.gz: expected 1797 rows of 65 values, got {table.shape}")
    images, labels = table[:, :64], table[:, 64]
    if images.min() < 0 or images.max() > 16 or set(labels.tolist()) != set(range(10)):
        raise SystemExit("digits.csv.gz: pixel values outside 0..16 or labels outside 0..9")
    return images.reshape(-1, 8, 8).astype(np.uint8), labels.astype(np.int64)


def stratified_split(labels: np.ndarray, seed: int, test_fraction: float) -> tuple[np.ndarray, np.ndarray]:
    """Shuffle each class on its own and hold out round(test_fraction * class size) of it."""
    rng = np.random.default_rng(seed)
    train, test = [], []
    for digit in range(10):
        members = rng.permutation(np.flatnonzero(labels == digit))
        n_test = round(test_fraction * len(members))
        test.append(members[:n_test])
        train.append(members[n_test:])
    return np.sort(np.concatenate(train)), np.sort(np.concatenate(test))


def main() -> None:
    images, labels = read_sklearn_copy()
    train_index, test_index = stratified_split(labels, SPLIT_SEED, TEST_FRACTION)
    np.savez_compressed(
        OUT, images=images, labels=labels, train_index=train_index.astype(np.int64),
        test_index=test_index.astype(np.int64),
    )
    print(f"{OUT}: {len(train_index)} train, {len(test_index)} test, {OUT.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
