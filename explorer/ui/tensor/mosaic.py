"""Any (..., h, w) array laid out as one 2-D image of h x w tiles, and the way back from a pixel to an index.

Every image-like tensor goes through this one mosaic (leading dimensions become tiles of the last two), so
the hover read-out maps any displayed pixel back to the tensor index with one rule. Numpy only, display only.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

MAX_IMAGE_SIDE = 1024  # displayed images are strided down to this; stats stay exact
TILE_GAP = 1


def near_square_grid(n: int) -> tuple[int, int]:
    """(rows, columns) of the most square grid holding n tiles, wider rather than taller."""
    cols = max(1, math.ceil(math.sqrt(n)))
    return max(1, math.ceil(n / cols)), cols


def fitted_grid(n: int, tile_h: int, tile_w: int, gap: int, aspect: float | None) -> tuple[int, int]:
    """The near-square grid for n tiles, turned to whichever way draws them larger in a view of width/height
    `aspect` (the wider way when the aspect is unknown or both fit alike)."""
    rows, cols = near_square_grid(n)
    if aspect is None or rows == cols:
        return rows, cols

    def scale(r: int, c: int) -> float:  # view heights per mosaic pixel, when the mosaic fills the view
        return min(aspect / (c * (tile_w + gap) - gap), 1.0 / (r * (tile_h + gap) - gap))

    return (cols, rows) if scale(cols, rows) > scale(rows, cols) else (rows, cols)


def tile_grid(lead: tuple[int, ...], tile_h: int, tile_w: int, gap: int = TILE_GAP,
              aspect: float | None = None) -> tuple[int, int]:
    """(rows, columns) of tiles for leading dimensions `lead`.

    4-D (out, in, h, w) keeps one row per out channel and one column per in channel, so a filter's position
    says which channels it joins. With a single in channel that would be a one-tile-wide strip, hard to see
    in a short view: those tiles, like any other leading shape, get a near-square grid; only they are turned
    to fit `aspect` (channel maps keep one layout, so lists of activations line up).
    """
    if len(lead) == 2 and lead[1] > 1:
        return lead[0], lead[1]
    if len(lead) == 2:
        return fitted_grid(lead[0], tile_h, tile_w, gap, aspect)
    return near_square_grid(math.prod(lead))


@dataclass(frozen=True)
class MosaicLayout:
    """Where each tile of a mosaic lies, so a displayed pixel can be traced back to a tensor index."""

    lead_shape: tuple[int, ...]  # the dimensions that became tiles, () for a plain 2-D heatmap
    rows: int
    cols: int
    tile_h: int
    tile_w: int
    gap: int

    @property
    def size(self) -> tuple[int, int]:
        """(height, width) of the whole mosaic at full resolution."""
        return (self.rows * (self.tile_h + self.gap) - self.gap, self.cols * (self.tile_w + self.gap) - self.gap)

    def index_at(self, r: int, c: int) -> tuple[int, ...] | None:
        """Tensor index under mosaic pixel (r, c), or None over a gap or outside."""
        tr, y = divmod(r, self.tile_h + self.gap)
        tc, x = divmod(c, self.tile_w + self.gap)
        if r < 0 or c < 0 or y >= self.tile_h or x >= self.tile_w or tr >= self.rows or tc >= self.cols:
            return None
        tile = tr * self.cols + tc
        n_tiles = math.prod(self.lead_shape)
        if tile >= n_tiles:
            return None
        lead = tuple(int(i) for i in np.unravel_index(tile, self.lead_shape)) if self.lead_shape else ()
        return lead + (y, x)

    def cell_of(self, index: tuple[int, ...]) -> tuple[int, int]:
        """Mosaic pixel (row, column) of tensor `index`: the way back of index_at."""
        *lead, y, x = index
        tile = int(np.ravel_multi_index(tuple(lead), self.lead_shape)) if self.lead_shape else 0
        tr, tc = divmod(tile, self.cols)
        return tr * (self.tile_h + self.gap) + y, tc * (self.tile_w + self.gap) + x


def mosaic(values: np.ndarray, gap: int = TILE_GAP, aspect: float | None = None) -> tuple[np.ndarray, MosaicLayout]:
    """Lay an (..., h, w) array out as one 2-D image: tiles of h x w, NaN (transparent) in gaps.

    Tiles run row by row in the order of the leading dimensions; `aspect` (the view's width/height) turns a
    single-in-channel filter grid to fit (see tile_grid).
    """
    h, w = values.shape[-2:]
    lead = values.shape[:-2]
    n = math.prod(lead)
    if not lead:
        return values, MosaicLayout((), 1, 1, h, w, 0)
    rows, cols = tile_grid(tuple(lead), h, w, gap, aspect)
    cells = np.full((rows * cols, h, w), np.nan, np.float32)
    cells[:n] = values.reshape(n, h, w)
    grid = np.full((rows, h + gap, cols, w + gap), np.nan, np.float32)
    grid[:, :h, :, :w] = cells.reshape(rows, cols, h, w).transpose(0, 2, 1, 3)
    image = grid.reshape(rows * (h + gap), cols * (w + gap))
    if gap:
        image = image[:-gap, :-gap]
    return image, MosaicLayout(tuple(lead), rows, cols, h, w, gap)


def strided_for_display(image: np.ndarray, max_side: int = MAX_IMAGE_SIDE) -> tuple[np.ndarray, int]:
    """Every stride-th pixel, so that neither side exceeds max_side (display only)."""
    stride = max(1, math.ceil(max(image.shape) / max_side))
    return (image[::stride, ::stride] if stride > 1 else image), stride
