"""Layout units -> scene pixels for the autograd graph.

The layout (explorer.core.layout, or a quotient's own) places boxes on a unit grid without knowing how
wide their text makes them; this stretches it so that no box overlaps another or an arrow's bend point.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

H_GAP, V_GAP = 20.0, 30.0  # free space between neighbouring boxes; vertical room for the arrows

Positions = Mapping[str, tuple[float, float]]
Bends = Mapping[tuple[str, str], Sequence[tuple[float, float]]]


def pixel_layout(positions: Positions, bends: Bends, sizes: Mapping[str, tuple[float, float]],
                 ) -> tuple[dict[str, tuple[float, float]], dict[tuple[str, str], list[tuple[float, float]]]]:
    """Layout units -> scene pixels, for the boxes' centres and the edges' bend points.

    Rows (distinct y, bend points included) stack with V_GAP between the tallest boxes of neighbouring
    rows. x gets the smallest uniform scale at which every pair of row neighbours, at their own widths
    (bend points have none), keeps H_GAP between them; a left-to-right sweep per row then guarantees
    that whatever the layout's spacing, so no box overlaps another or an edge passing through its row.
    """
    rows: dict[float, list[tuple[float, float, object]]] = {}  # y -> (layout x, width, node id or bend key)
    for node_id, (x, y) in positions.items():
        rows.setdefault(round(y, 6), []).append((x, sizes[node_id][0], node_id))
    for edge, points in bends.items():
        for k, (x, y) in enumerate(points):
            rows.setdefault(round(y, 6), []).append((x, 0.0, (edge, k)))
    scale_x = 1.0
    for entries in rows.values():
        entries.sort(key=lambda entry: entry[0])
        for (xa, wa, _), (xb, wb, _) in zip(entries, entries[1:]):
            if xb - xa > 1e-6:
                scale_x = max(scale_x, ((wa + wb) / 2 + H_GAP) / (xb - xa))
    default_height = min((h for _, h in sizes.values()), default=0.0)
    centres: dict[str, tuple[float, float]] = {}
    via: dict[tuple[str, str], list[tuple[float, float]]] = {edge: [] for edge in bends}
    top = 0.0
    for y in sorted(rows):
        entries = rows[y]
        height = max((sizes[key][1] for _, _, key in entries if isinstance(key, str)), default=default_height)
        cy = top + height / 2
        right = -math.inf
        for x, width, key in entries:
            cx = max(x * scale_x, right + H_GAP + width / 2)
            right = cx + width / 2
            if isinstance(key, str):
                centres[key] = (cx, cy)
            else:
                via[key[0]].append((cx, cy))
        top += height + V_GAP
    return centres, via
