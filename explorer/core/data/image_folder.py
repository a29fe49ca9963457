"""Image folders: one subfolder per class holding PNG or JPEG files, decoded with Pillow.

    DIR/cat/001.png  DIR/cat/002.jpg  DIR/dog/001.png ...

Classes are the subfolder names in sorted order (as torchvision's ImageFolder numbers them). A folder
with `train/` and `test/` subfolders, each laid out that way, gives that split; otherwise every fifth
image of each class (in file name order) is held out for testing, the same ones on every run.
Other files and hidden folders are ignored.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from explorer.core.data.errors import DatasetError

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg")
TEST_EVERY = 5  # without train/ and test/ folders, each class's 5th, 10th, ... image is a test image
GREY_MODES = {"1", "L", "LA", "I", "I;16", "F"}


@dataclass(frozen=True)
class ImageFolderIndex:
    """Where the images are: class names, and (file, class index) pairs for each split."""

    root: Path
    classes: tuple[str, ...]
    train: tuple[tuple[Path, int], ...]
    test: tuple[tuple[Path, int], ...]

    def __repr__(self) -> str:
        return f"ImageFolderIndex({str(self.root)!r}, {len(self.classes)} classes, train {len(self.train)}, test {len(self.test)})"


def index_image_folder(root: Path) -> ImageFolderIndex:
    root = Path(root)
    if not root.is_dir():
        raise DatasetError(f"{root}: no such folder")
    if (root / "train").is_dir() and (root / "test").is_dir():
        classes, train = _index_classes(root / "train")
        test_classes, test = _index_classes(root / "test")
        unknown = sorted(set(test_classes) - set(classes))
        if unknown:
            raise DatasetError(f"{root / 'test'}: classes {', '.join(unknown)} are not in {root / 'train'}")
        renumber = [classes.index(name) for name in test_classes]
        test = [(path, renumber[label]) for path, label in test]
        return ImageFolderIndex(root, tuple(classes), tuple(train), tuple(test))
    classes, files = _index_classes(root)
    train, test, seen = [], [], [0] * len(classes)
    for path, label in files:
        seen[label] += 1
        (test if seen[label] % TEST_EVERY == 0 else train).append((path, label))
    return ImageFolderIndex(root, tuple(classes), tuple(train), tuple(test))


def _index_classes(folder: Path) -> tuple[list[str], list[tuple[Path, int]]]:
    class_dirs = sorted(d for d in folder.iterdir() if d.is_dir() and not d.name.startswith("."))
    if not class_dirs:
        raise DatasetError(f"{folder}: no class folders (expected one subfolder of PNG/JPEG images per class)")
    files = []
    for label, class_dir in enumerate(class_dirs):
        images = sorted(p for p in class_dir.iterdir() if p.is_file() and p.suffix.lower() in IMAGE_SUFFIXES)
        if not images:
            raise DatasetError(f"{class_dir}: no PNG or JPEG images in this class folder")
        files += [(path, label) for path in images]
    return [d.name for d in class_dirs], files


def natural_shape(path: Path) -> tuple[int, int, int]:
    """(channels, height, width) of one image: 1 channel for grey images, 3 for colour."""
    with _open(path) as image:
        return (1 if image.mode in GREY_MODES else 3), image.height, image.width


def read_images(files: list[Path] | tuple[Path, ...], shape: tuple[int, int, int]) -> np.ndarray:
    """Decode every file to shape (channels 1 or 3, height, width), bilinear-resized where its size
    differs (Pillow's resize averages over the whole footprint when shrinking). uint8, N x C x H x W."""
    channels, height, width = shape
    if channels not in (1, 3):
        raise DatasetError(f"images can be brought to 1 (grey) or 3 (RGB) channels, not {channels}")
    out = np.empty((len(files), channels, height, width), dtype=np.uint8)
    for i, path in enumerate(files):
        with _open(path) as image:
            try:
                image = ImageOps.exif_transpose(image).convert("L" if channels == 1 else "RGB")
                if image.size != (width, height):
                    image = image.resize((width, height), Image.Resampling.BILINEAR)
                out[i] = np.asarray(image).reshape(height, width, channels).transpose(2, 0, 1)
            except (OSError, ValueError, SyntaxError) as exc:  # truncated or corrupt data shows up on decoding
                raise DatasetError(f"{path}: cannot decode the image: {exc}") from None
    return out


def _open(path: Path) -> Image.Image:
    try:
        return Image.open(path)
    except (UnidentifiedImageError, Image.DecompressionBombError) as exc:
        raise DatasetError(f"{path}: not a readable image: {exc}") from None
    except OSError as exc:
        raise DatasetError(f"{path}: cannot read: {exc.strerror or exc}") from None
