"""Search (Ctrl+F) in the autograd graph: which nodes match, in what order, and which one is current.

Only the bookkeeping lives here; the view marks the matches on its boxes and opens modules to show one.
Matches are in reading order (top to bottom, left to right in the fully open layout), so next / previous
walk the graph the way a person reads it, whichever modules are open.
"""

from __future__ import annotations

from collections.abc import Mapping

from explorer.core.autograd.module_groups import matching_nodes
from explorer.core.snapshot import GraphPicture


class GraphSearch:
    """The query, its matches in one picture and the match the last jump went to (-1: none yet)."""

    def __init__(self) -> None:
        self.query = ""
        self.matches: list[str] = []
        self.index = -1
        self._reading_order: list[str] | None = None

    def __repr__(self) -> str:
        return f"GraphSearch({self.query!r}, {len(self.matches)} matches, index={self.index})"

    def forget_picture(self) -> None:
        """A graph of another shape: no matches until the query runs again (it is kept)."""
        self._reading_order = None
        self.matches, self.index = [], -1

    def find(self, picture: GraphPicture | None, query: str) -> None:
        """Match `query` against the class, module and parameter name of every node of `picture`."""
        self.query = query
        self.matches = []
        if picture is not None:
            if self._reading_order is None:
                positions = picture.positions
                self._reading_order = sorted(picture.node_ids, key=lambda n: (positions[n][1], positions[n][0]))
            self.matches = matching_nodes(self._reading_order, picture.attrs, query)
        self.index = -1

    def step(self, step: int) -> str | None:
        """Move to the next (+1) or previous (-1) match, wrapping around; the first jump goes to the
        first (or last) match. None when nothing matches."""
        if not self.matches:
            return None
        self.index = (self.index + step) % len(self.matches) if self.index >= 0 else (
            0 if step > 0 else len(self.matches) - 1)
        return self.matches[self.index]

    def counts_by_box(self, shown_as: Mapping[str, str]) -> dict[str, int]:
        """How many matches each shown box holds (a collapsed module holds those inside it)."""
        counts: dict[str, int] = {}
        for node_id in self.matches:
            shown = shown_as.get(node_id)
            if shown is not None:
                counts[shown] = counts.get(shown, 0) + 1
        return counts
