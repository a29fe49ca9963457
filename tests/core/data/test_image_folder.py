"""Image folders the tests write with Pillow: classes, splits, sizes and channels, and unreadable images
rejected with a message naming the file."""

import numpy as np
import pytest
import torch
from PIL import Image

from explorer.core.data.datasets import DatasetError, load_dataset
from explorer.core.data.image_folder import index_image_folder
from explorer.core.session import SessionConfig, StepSession


def save(path, array: np.ndarray, **options):
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(array).save(path, **options)
    return path


def grey_folder(root, per_class=6, size=(8, 8), classes=("cat", "dog")):
    """PNG images whose pixels encode class and index, so any mix-up shows."""
    files = {}
    for c, name in enumerate(classes):
        for i in range(per_class):
            array = np.full(size, 10 * c + i, np.uint8)
            array[0, 0] = 200 + c
            files[save(root / name / f"{i:03d}.png", array)] = c
    return files


def expected(paths, mode="L", size=None):
    """What the images are, decoded by Pillow itself: N x C x H x W in [0, 1]."""
    arrays = []
    for p in paths:
        image = Image.open(p).convert(mode)
        if size is not None and image.size != size:
            image = image.resize(size, Image.Resampling.BILINEAR)
        a = np.asarray(image, dtype=np.float32) / 255
        arrays.append(a[None] if a.ndim == 2 else a.transpose(2, 0, 1))
    return torch.from_numpy(np.stack(arrays))


def normalised(train, test):
    mean, std = train.mean(), train.std()
    return (train - mean) / std, (test - mean) / std


def test_a_folder_of_pngs_loads_back_exactly_with_every_fifth_image_held_out(tmp_path):
    files = grey_folder(tmp_path)
    (tmp_path / "notes.txt").write_text("not a class")
    (tmp_path / ".cache").mkdir()
    (tmp_path / "cat" / "readme.md").write_text("not an image")
    data = load_dataset(f"folder:{tmp_path}")
    assert data.class_names == ("cat", "dog") and data.input_shape == (1, 8, 8)
    paths = sorted(files)
    test_paths = [p for p in paths if p.stem == "004"]  # the 5th image of each class
    train_paths = [p for p in paths if p not in test_paths]
    train_x, test_x = normalised(expected(train_paths), expected(test_paths))
    torch.testing.assert_close(data.train_x, train_x)
    torch.testing.assert_close(data.test_x, test_x)
    assert data.train_y.tolist() == [0] * 5 + [1] * 5 and data.test_y.tolist() == [0, 1]


def test_train_and_test_folders_give_the_split(tmp_path):
    grey_folder(tmp_path / "train", per_class=3, classes=("a", "b", "c"))
    grey_folder(tmp_path / "test", per_class=2, classes=("b", "c"))
    index = index_image_folder(tmp_path)
    assert index.classes == ("a", "b", "c") and len(index.train) == 9
    assert [label for _, label in index.test] == [1, 1, 2, 2]  # numbered as in train/
    data = load_dataset(f"folder:{tmp_path}")
    assert data.test_y.tolist() == [1, 1, 2, 2] and data.train_size == 9


def test_images_are_brought_to_the_models_size_and_channels(tmp_path):
    rng = np.random.default_rng(0)
    paths = [save(tmp_path / "x" / f"{i}.png", rng.integers(0, 256, (12 + i, 10, 3), dtype=np.uint8)) for i in range(4)]
    paths.append(save(tmp_path / "y" / "grey.png", rng.integers(0, 256, (20, 20), dtype=np.uint8)))
    grey = load_dataset(f"folder:{tmp_path}", input_shape=(1, 16, 16))
    train_x, _ = normalised(expected(paths, "L", (16, 16)), torch.zeros(1))
    torch.testing.assert_close(grey.train_x, train_x)  # no test image: fewer than 5 per class
    assert grey.test_x is None
    rgb = load_dataset(f"folder:{tmp_path}", input_shape=(3, 16, 16))
    train_x, _ = normalised(expected(paths, "RGB", (16, 16)), torch.zeros(1))
    torch.testing.assert_close(rgb.train_x, train_x)
    natural = load_dataset(f"folder:{tmp_path}")  # the first image decides: 12x10, colour
    assert natural.input_shape == (3, 12, 10)
    flat = load_dataset(f"folder:{tmp_path}", input_shape=(360,))
    assert flat.train_x.shape == (5, 360)
    with pytest.raises(DatasetError, match="1 \\(grey\\) or 3 \\(RGB\\) channels, not 2"):
        load_dataset(f"folder:{tmp_path}", input_shape=(2, 16, 16))


def test_jpegs_load_as_pillow_decodes_them(tmp_path):
    rng = np.random.default_rng(1)
    paths = [save(tmp_path / c / f"{i}.jpg", rng.integers(0, 256, (16, 16, 3), dtype=np.uint8), quality=90)
             for c in ("a", "b") for i in range(2)]
    paths.append(save(tmp_path / "b" / "upper.JPEG", rng.integers(0, 256, (16, 16), dtype=np.uint8)))
    data = load_dataset(f"folder:{tmp_path}")
    train_x, _ = normalised(expected(sorted(paths), "RGB"), torch.zeros(1))
    torch.testing.assert_close(data.train_x, train_x)
    assert data.train_y.tolist() == [0, 0, 1, 1, 1]


def test_the_seed_net_steps_on_an_image_folder(tmp_path):
    grey_folder(tmp_path, size=(20, 24))
    s = StepSession(SessionConfig(model="seed", dataset=f"folder:{tmp_path}", batch_size=3))
    assert s.inputs.shape == (3, 1, 32, 32)
    s.run_forward()
    s.compute_loss()
    s.run_backward()
    assert s.model.fc3.weight.grad is not None


def test_an_unreadable_image_is_named(tmp_path):
    grey_folder(tmp_path)
    bad = tmp_path / "dog" / "002.png"
    bad.write_text("this is not a PNG")
    with pytest.raises(DatasetError, match=f"^{bad}: not a readable image"):
        load_dataset(f"folder:{tmp_path}")


def test_a_truncated_image_is_named(tmp_path):
    rng = np.random.default_rng(2)
    grey_folder(tmp_path)
    bad = save(tmp_path / "cat" / "big.png", rng.integers(0, 256, (64, 64), dtype=np.uint8))
    bad.write_bytes(bad.read_bytes()[:200])
    with pytest.raises(DatasetError, match=f"^{bad}: cannot decode the image"):
        load_dataset(f"folder:{tmp_path}")


def test_badly_laid_out_folders(tmp_path):
    with pytest.raises(DatasetError, match=f"^{tmp_path / 'absent'}: no such folder"):
        load_dataset(f"folder:{tmp_path / 'absent'}")
    (tmp_path / "flat").mkdir()
    save(tmp_path / "flat" / "a.png", np.zeros((4, 4), np.uint8))
    with pytest.raises(DatasetError, match="flat: no class folders"):
        load_dataset(f"folder:{tmp_path / 'flat'}")
    grey_folder(tmp_path / "gap", per_class=2)
    (tmp_path / "gap" / "empty").mkdir()
    with pytest.raises(DatasetError, match=f"^{tmp_path / 'gap' / 'empty'}: no PNG or JPEG images"):
        load_dataset(f"folder:{tmp_path / 'gap'}")
    grey_folder(tmp_path / "split" / "train", per_class=1, classes=("a",))
    grey_folder(tmp_path / "split" / "test", per_class=1, classes=("a", "z"))
    with pytest.raises(DatasetError, match="classes z are not in"):
        load_dataset(f"folder:{tmp_path / 'split'}")
