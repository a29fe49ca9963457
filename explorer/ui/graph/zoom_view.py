"""Zoom and pan for the autograd graph view, apart from what it shows.

Pan with a drag, zoom with the wheel around the cursor (or with zoom_in / zoom_out around the centre).
The view stays fitted to its scene through resizes until the user zooms; every zoom change, whichever
way it comes, is reported to the subclass, which switches its level of detail on it.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QGraphicsView, QWidget


class ZoomPanView(QGraphicsView):
    """A QGraphicsView that pans and zooms. Subclasses provide `_has_contents()` (is there anything to
    fit?) and `_zoom_changed()` (called after every change of the zoom)."""

    ZOOM_STEP = 1.25
    MIN_SCALE, MAX_SCALE, MAX_FIT_SCALE = 0.01, 4.0, 1.25
    READABLE_SCALE = 0.75  # Fit stops here: 12 px labels drawn at 9 px

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._auto_fit = True  # until the user zooms, the view keeps the whole graph in sight
        self._fit_whole = False  # whether that fit may go below READABLE_SCALE
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.NoAnchor)  # wheel zoom anchors itself
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)

    def __repr__(self) -> str:
        return f"ZoomPanView(zoom={self.zoom:.3g}, fitted={self._auto_fit})"

    def _has_contents(self) -> bool:
        raise NotImplementedError(f"{type(self).__name__} must say whether it has anything to fit")

    def _zoom_changed(self) -> None:
        raise NotImplementedError(f"{type(self).__name__} must handle zoom changes")

    def fit(self, whole: bool = False) -> None:
        """Show the whole graph (never blown up past MAX_FIT_SCALE for tiny graphs); unless `whole`, never
        shrunk below READABLE_SCALE either: a bigger graph then shows its top at a size people can read, and
        the rest is a scroll away. It stays fitted through resizes until the user zooms."""
        if self._has_contents():
            rect = self.scene().sceneRect()
            self.fitInView(rect, Qt.AspectRatioMode.KeepAspectRatio)
            scale = self.transform().m11()
            if scale > self.MAX_FIT_SCALE or (not whole and scale < self.READABLE_SCALE):
                scale = self.MAX_FIT_SCALE if scale > self.MAX_FIT_SCALE else self.READABLE_SCALE
                self.setTransform(self.transform().fromScale(scale, scale))
                half_height = self.viewport().height() / scale / 2
                self.centerOn(rect.center().x(), min(rect.center().y(), rect.top() + half_height))
            self._zoom_changed()
        self._auto_fit = True
        self._fit_whole = whole

    def fit_whole(self) -> None:
        self.fit(whole=True)

    def zoom_in(self) -> None:
        self._zoom_at(self.ZOOM_STEP, self.viewport().rect().center())

    def zoom_out(self) -> None:
        self._zoom_at(1 / self.ZOOM_STEP, self.viewport().rect().center())

    @property
    def zoom(self) -> float:
        return self.transform().m11()

    def _zoom_at(self, factor: float, anchor: QPoint) -> None:
        """Scale by `factor`, keeping the scene point under viewport position `anchor` where it is.
        Done by hand: AnchorUnderMouse follows the last mouse move and the global cursor, not the wheel
        event's own position."""
        current = self.zoom
        target = min(self.MAX_SCALE, max(self.MIN_SCALE, current * factor))
        if math.isclose(target, current):
            return
        fixed = self.mapToScene(anchor)
        self.scale(target / current, target / current)
        drift = self.mapFromScene(fixed) - anchor
        self.horizontalScrollBar().setValue(self.horizontalScrollBar().value() + drift.x())
        self.verticalScrollBar().setValue(self.verticalScrollBar().value() + drift.y())

    # every way the zoom changes from Python passes here: the subclass follows it, and a zoom chosen by
    # hand (or by a search jump) is kept when the view is resized
    def scale(self, sx: float, sy: float) -> None:
        super().scale(sx, sy)
        self._auto_fit = False
        self._zoom_changed()

    def setTransform(self, matrix, combine: bool = False) -> None:
        super().setTransform(matrix, combine)
        self._auto_fit = False
        self._zoom_changed()

    def resetTransform(self) -> None:
        super().resetTransform()
        self._auto_fit = False
        self._zoom_changed()

    def wheelEvent(self, event) -> None:
        steps = event.angleDelta().y() / 120.0
        if steps:
            self._zoom_at(self.ZOOM_STEP ** steps, event.position().toPoint())
        event.accept()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self._auto_fit:
            self.fit(self._fit_whole)
