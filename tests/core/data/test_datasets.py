"""Data situations against plain PyTorch: the tutorial's exact setting, the digits file, batches, accuracy."""

from importlib.resources import files

import numpy as np
import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F

from explorer.core.data import datasets
from explorer.core.data.datasets import DATASETS, BatchStream, DatasetError, DataSituation, accuracy, load_dataset
from explorer.core.models import build_model
from explorer.core.seeding import generator


@pytest.fixture(scope="module")
def digits():
    return load_dataset("digits")


def raw_digits():
    with np.load(str(files("explorer.resources") / "digits.npz")) as npz:
        return {key: npz[key] for key in npz.files}


def test_every_listed_dataset_loads():
    for name in DATASETS:
        assert load_dataset(name).name == name


def test_tutorial_is_the_pages_situation():
    data = load_dataset("tutorial", seed=3)
    assert data.task == "regression" and data.test_x is None and data.test_y is None
    assert data.train_x.shape == (1, 1, 32, 32) and data.input_shape == (1, 32, 32)
    torch.testing.assert_close(data.train_x, torch.randn(1, 1, 32, 32, generator=generator(3)), rtol=0, atol=0)
    assert data.train_y.dtype == torch.float32
    assert data.train_y.tolist() == [[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0]]
    assert isinstance(data.loss_fn, nn.MSELoss)
    out = build_model("seed", 0)(data.train_x)
    torch.testing.assert_close(data.loss_fn(out, data.train_y), nn.MSELoss()(out, data.train_y))


def test_tutorial_input_follows_the_seed():
    assert torch.equal(load_dataset("tutorial", 1).train_x, load_dataset("tutorial", 1).train_x)
    assert not torch.equal(load_dataset("tutorial", 1).train_x, load_dataset("tutorial", 2).train_x)


def test_digits_resource_is_the_uci_set_with_a_fixed_stratified_split():
    raw = raw_digits()
    assert raw["images"].shape == (1797, 8, 8) and raw["images"].dtype == np.uint8
    assert raw["images"].max() == 16 and raw["images"].min() == 0
    assert raw["labels"].dtype == np.int64 and set(raw["labels"].tolist()) == set(range(10))
    train, test = raw["train_index"], raw["test_index"]
    assert len(np.intersect1d(train, test)) == 0
    assert np.array_equal(np.sort(np.concatenate([train, test])), np.arange(1797))
    per_class_test = np.bincount(raw["labels"][test], minlength=10)
    per_class_all = np.bincount(raw["labels"], minlength=10)
    assert np.all(np.abs(per_class_test - 0.2 * per_class_all) <= 1)  # 20% of every class


def test_digits_tensors_are_upsampled_and_normalised_with_train_statistics(digits):
    raw = raw_digits()
    x = torch.from_numpy(raw["images"]).float().div(16).unsqueeze(1)
    x = F.interpolate(x, size=(32, 32), mode="bilinear", align_corners=False)
    train_raw = x[torch.from_numpy(raw["train_index"])]
    mean, std = train_raw.mean(), train_raw.std()
    torch.testing.assert_close(digits.train_x, (train_raw - mean) / std)
    torch.testing.assert_close(digits.test_x, (x[torch.from_numpy(raw["test_index"])] - mean) / std)
    assert digits.train_y.dtype == torch.int64
    assert torch.equal(digits.test_y, torch.from_numpy(raw["labels"][raw["test_index"]]))
    assert digits.train_x.shape == (1438, 1, 32, 32) and digits.test_x.shape == (359, 1, 32, 32)
    assert abs(digits.train_x.mean().item()) < 1e-4 and abs(digits.train_x.std().item() - 1) < 1e-4
    assert digits.class_names == tuple("0123456789") and isinstance(digits.loss_fn, nn.CrossEntropyLoss)
    assert build_model("seed", 0)(digits.test_x[:4]).shape == (4, 10)  # the tutorial's Net takes them as they are


def test_digits_split_does_not_depend_on_the_seed(digits):
    other = load_dataset("digits", seed=7)
    assert torch.equal(digits.train_x, other.train_x) and torch.equal(digits.test_y, other.test_y)


def test_unknown_or_malformed_names_are_rejected():
    with pytest.raises(DatasetError, match="unknown dataset 'mnist'.*tutorial, digits"):
        load_dataset("mnist")
    with pytest.raises(DatasetError, match="takes no argument"):
        load_dataset("digits:/somewhere")


def test_a_damaged_digits_file_names_the_file(monkeypatch, tmp_path):
    (tmp_path / "digits.npz").write_bytes(b"not a zip file")
    monkeypatch.setattr(datasets, "files", lambda package: tmp_path)
    with pytest.raises(DatasetError, match=r"digits\.npz: cannot read"):
        load_dataset("digits")


def test_batch_stream_follows_a_seeded_permutation(digits):
    stream = BatchStream(digits, batch_size=100, seed=5)
    order = torch.randperm(digits.train_size, generator=generator(5))
    for batch in range(3):
        x, y = stream.next()
        expected = order[batch * 100 : (batch + 1) * 100]
        assert torch.equal(x, digits.train_x[expected]) and torch.equal(y, digits.train_y[expected])


def test_batch_stream_same_seed_same_batches_other_seed_other_batches(digits):
    a, b, c = (BatchStream(digits, 32, seed) for seed in (1, 1, 2))
    for _ in range(50):  # crosses an epoch boundary (44 batches per epoch)
        ya, yb, yc = a.next()[1], b.next()[1], c.next()[1]
        assert torch.equal(ya, yb)
    assert not torch.equal(ya, yc)


def indexed_data(size: int) -> DataSituation:
    """Each sample is its own index, so batches show which rows they took."""
    rows = torch.arange(size)
    return DataSituation(
        name="indexed", task="classification", train_x=rows.float().view(size, 1), train_y=rows,
        test_x=None, test_y=None, loss_fn=nn.CrossEntropyLoss(), class_names=(), input_shape=(1,),
    )


def test_batch_stream_takes_each_sample_at_most_once_per_epoch():
    stream = BatchStream(indexed_data(103), batch_size=10, seed=0)
    assert stream.batches_per_epoch == 10  # the 3 left over wait for a later epoch, so every batch is full
    for epoch in range(3):
        taken = []
        for _ in range(10):
            assert stream.epoch == epoch
            x, y = stream.next()
            assert torch.equal(x.view(-1).long(), y) and len(y) == 10
            taken += y.tolist()
        assert len(set(taken)) == 100 and stream.epoch == epoch + 1 and stream.position == 0


def test_batch_stream_cuts_the_batch_to_the_data_size():
    stream = BatchStream(load_dataset("tutorial"), batch_size=32, seed=0)
    x, y = stream.next()
    assert x.shape == (1, 1, 32, 32) and y.shape == (1, 10) and stream.epoch == 1
    with pytest.raises(ValueError, match="at least 1"):
        BatchStream(indexed_data(5), batch_size=0, seed=0)


def test_batch_stream_skip_lands_where_drawing_would():
    drawn, skipped = BatchStream(indexed_data(50), 7, seed=3), BatchStream(indexed_data(50), 7, seed=3)
    for _ in range(23):
        drawn.next()
    skipped.skip(23)
    assert (skipped.epoch, skipped.position) == (drawn.epoch, drawn.position) == (3, 2)
    assert torch.equal(skipped.next()[1], drawn.next()[1])


def test_accuracy_matches_argmax_and_restores_the_mode(digits):
    model = build_model("seed", 0)
    x, y = digits.test_x, digits.test_y
    with torch.no_grad():
        expected = (model(x).argmax(dim=1) == y).float().mean().item()
    assert accuracy(model, x, y, batch_size=50) == pytest.approx(expected)
    assert model.training
    model.eval()
    accuracy(model, x[:10], y[:10])
    assert not model.training
    assert all(p.grad is None for p in model.parameters())


def test_repr_says_what_the_data_is(digits):
    assert repr(digits) == (
        "DataSituation('digits', classification, train 1438x(1, 32, 32), test 359, "
        "loss=CrossEntropyLoss, 10 classes)"
    )
    assert "epoch=0, position=0/44" in repr(BatchStream(digits, 32, 0))
