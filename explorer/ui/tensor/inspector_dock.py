"""The Inspector dock: one tensor or node in detail, its views side by side (value | gradient | ...).

The dock asks for what to show (`inspect_requested`), the engine answers with an Inspection, and the dock
draws it. When the session moves in a way that changes what is shown, the dock asks again for the same
target, so the picture follows the stepping (e.g. conv1.bias.grad goes from None to six numbers).

A closed dock asks for nothing: what it would show is asked for once it is opened again, so no step pays for
pictures (or a node's chain rule, worked on the engine thread with each node inspection) that nobody sees.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (QComboBox, QDockWidget, QHBoxLayout, QLabel, QScrollArea, QSizePolicy, QSplitter,
                               QToolButton, QVBoxLayout, QWidget)

from explorer.ui.phrases import caption_text, note_text
from explorer.ui.tensor.chain_rule_view import ChainRuleView
from explorer.ui.tensor.widgets import TensorWidget

if TYPE_CHECKING:
    from explorer.core.chain_rule.explanation import NodeExplanation
    from explorer.core.snapshot import Inspection, ModelInfo, SessionSnapshot, TensorView

COLUMN_MIN_WIDTH = 260


class InspectorColumn(QWidget):
    """One view of an inspection: a caption over a TensorWidget with histogram and stats."""

    cell_clicked = Signal(tuple)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.caption = QLabel()
        font = QFont(self.caption.font())
        font.setBold(True)
        self.caption.setFont(font)
        self.caption.setWordWrap(True)
        self.tensor_widget = TensorWidget()
        self.tensor_widget.cell_clicked.connect(self.cell_clicked)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.setSpacing(2)
        layout.addWidget(self.caption)
        layout.addWidget(self.tensor_widget, 1)
        # the width is held by the caption, so the column's minimum height stays the one its layout needs:
        # a short dock then scrolls to the stats line instead of cutting it off
        self.caption.setMinimumWidth(COLUMN_MIN_WIDTH - 8)

    def show_view(self, caption: str, view: TensorView | None, *, symmetric: bool | None, image: bool,
                  empty_text: str, tile_axes: tuple[str, str]) -> None:
        self.caption.setText(caption)
        self.tensor_widget.set_view(view, symmetric=symmetric, image=image, empty_text=empty_text,
                                    tile_axes=tile_axes)

    def __repr__(self) -> str:
        return f"InspectorColumn({self.caption.text()!r})"


def running_target(snapshot: SessionSnapshot) -> tuple[str, str] | None:
    """(kind, key) of what the last step ran: the autograd node while going backward, the forward step's
    activation while going forward; None when no step has run in this pass."""
    if snapshot.phase in ("backward", "backward done") and snapshot.current_node is not None:
        return ("node", snapshot.current_node)
    if snapshot.phase in ("forward", "forward done") and snapshot.forward:
        return ("activation", str(snapshot.forward[-1].index))
    return None


class InspectorDock(QDockWidget):
    inspect_requested = Signal(str, str)  # kind, key
    explain_requested = Signal(str, object, object, bool)  # node id, slot, index, numeric (the chain rule view's)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("InspectorDock")
        self.setWindowTitle(self.tr("Inspector"))
        self._target: tuple[str, str] | None = None
        self._expected: tuple[str, str] | None = None  # the latest request (see expect), until its answer arrives
        self._snapshot: SessionSnapshot | None = None
        self._asked_at: tuple | None = None  # what the shown target depended on when it was last asked for
        self._stale = False  # the target changed while the dock was closed: ask for it once it opens
        self._combo_targets: list[tuple[str, str]] = []  # (kind, key) of each chooser entry
        self.inspection: Inspection | None = None

        self.target_combo = QComboBox()
        self.target_combo.setPlaceholderText(self.tr("choose a tensor"))
        # a long parameter name must not widen the dock (and with it the window): the combo elides
        self.target_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.target_combo.setMinimumContentsLength(18)
        self.pin_button = QToolButton(checkable=True)
        self.pin_button.setObjectName("InspectorPin")
        self.pin_button.setText(self.tr("Pin"))
        self.pin_button.setToolTip(self.tr("Keep showing this tensor while stepping. Unpinned, the inspector "
                                           "follows the layer or autograd node that runs at each step."))
        self.target_combo.activated.connect(self._on_target_combo_activated)
        self.title_label = QLabel()
        title_font = QFont(self.title_label.font())
        title_font.setBold(True)
        title_font.setPointSize(title_font.pointSize() + 1)
        self.title_label.setFont(title_font)
        self.title_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.notes_label = QLabel(wordWrap=True)
        self.notes_label.setStyleSheet("color: #444;")
        self.notes_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hint_label = QLabel(self.tr(
            "Choose a parameter above, or click a layer, a graph node or an activation to see its numbers."),
            wordWrap=True, alignment=Qt.AlignmentFlag.AlignCenter)
        self.hint_label.setStyleSheet("color: #666; font-size: 11pt;")

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.columns: list[InspectorColumn] = []
        self._column_count = 0  # columns shown by the last inspection
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setWidget(self.splitter)
        # a backward node's chain rule, beside its gradients: a click on a gradient picks the element it works
        self.chain_rule_view = ChainRuleView()
        self.chain_rule_view.explain_requested.connect(self.explain_requested)
        self.chain_rule_view.marked.connect(self._on_chain_rule_marked)
        self.body_splitter = QSplitter(Qt.Orientation.Horizontal)
        self.body_splitter.setChildrenCollapsible(False)
        self.body_splitter.addWidget(self.scroll_area)
        self.body_splitter.addWidget(self.chain_rule_view)
        self.body_splitter.setStretchFactor(0, 3)
        self.body_splitter.setStretchFactor(1, 2)
        self._chain_rule_sized = False

        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Inspect:")))
        top.addWidget(self.target_combo)
        top.addWidget(self.pin_button)
        top.addSpacing(12)
        top.addWidget(self.title_label, 1)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(3)
        layout.addLayout(top)
        layout.addWidget(self.notes_label)
        layout.addWidget(self.hint_label, 1)
        layout.addWidget(self.body_splitter, 1)
        self.setWidget(body)
        self._show_empty()
        self.visibilityChanged.connect(self._on_visibility_changed)

    # ----- inputs ------------------------------------------------------------------------------------
    @property
    def target(self) -> tuple[str, str] | None:
        """(kind, key) of what the dock shows or has asked for."""
        return self._target

    def set_model_info(self, info: ModelInfo) -> None:
        """List every parameter of the model (with its shape), then the input."""
        self.target_combo.clear()
        self._combo_targets = [("param", name) for name in info.param_names] + [("input", "")]
        for name, shape in zip(info.param_names, info.param_shapes):
            self.target_combo.addItem(self.tr("{0}  {1}").format(name, list(shape)))
        self.target_combo.addItem(self.tr("input"))
        if self._target is not None and self._combo_index(self._target) < 0 and self._target[0] == "param":
            self._target, self.inspection = None, None  # the parameter is gone with the old model
            self._expected = None
            self._show_empty()
        self._sync_combo()

    @property
    def pinned(self) -> bool:
        return self.pin_button.isChecked()

    @property
    def closed(self) -> bool:
        """Closed by the user (View menu, its close button), or never shown; a dock tabbed behind another panel
        is not closed (a request raises it, see MainWindow._on_view_inspect_requested)."""
        return self.isHidden()

    def follow(self, snapshot: SessionSnapshot) -> None:
        """After a step: show what ran in it (the forward step's activation, the backward node), unless pinned."""
        target = running_target(snapshot)
        if target is None or self.pinned or target == self._target:
            return
        if self.closed:
            self._target, self._stale = target, True
            return
        self.inspect_requested.emit(*target)
        if self._target == target:
            # Asked for after this snapshot was made: set_snapshot(snapshot), which comes next, must not ask again
            # (the dock would draw the same node twice, and the engine work out its chain rule twice).
            self._asked_at = self._dependency(snapshot)

    def clear(self) -> None:
        """A new model: nothing of the old one stays on show."""
        self._target = self._expected = self.inspection = self._asked_at = None
        self._stale = False
        self.target_combo.setPlaceholderText(self.tr("choose a tensor"))
        self._sync_combo()
        self._show_empty()

    def expect(self, kind: str, key: str) -> None:
        """Someone (a view, the guided tutorial, a script) asked the engine for (kind, key): that is what this
        dock shows next. The answers to older requests that arrive after it are dropped, and snapshots re-read
        this target: the last request wins, not the last answer (a re-read of an earlier target may come back
        after the one just chosen)."""
        target = (kind, key)
        if target != self._target:
            self._target = target
            self._asked_at = self._dependency(self._snapshot)
        self._expected = target

    def set_inspection(self, inspection: Inspection) -> None:
        if self._expected is not None and inspection.target != self._expected:
            return  # the answer to an older request; the latest one's is on its way
        self._expected = None
        self.inspection = inspection
        if inspection.target != self._target:
            self._target = inspection.target
            self._asked_at = self._dependency(self._snapshot)
        self._sync_combo()
        kind, _ = inspection.target
        self.title_label.setText(caption_text(inspection.heading, inspection.title))
        self.notes_label.setText("\n".join(note_text(n) for n in inspection.notes))
        self.notes_label.setVisible(bool(inspection.notes))
        self.hint_label.hide()
        self.scroll_area.show()
        # the chain rule view takes its share before the pictures are drawn, so they are laid out (and painted)
        # once at their final width, not first across the whole dock
        self.chain_rule_view.setVisible(kind == "node")
        if kind == "node" and not self._chain_rule_sized and self.body_splitter.width() > 0:
            self._chain_rule_sized = True  # once: after that the user's own split stays
            width = self.body_splitter.width()  # the gradients' pictures keep the larger share
            self.body_splitter.setSizes([width - width * 2 // 5, width * 2 // 5])
        self.body_splitter.refresh()  # now, not at the next layout pass, which a paint at the old width would precede
        self._show_views(kind, inspection)
        if kind == "node":
            self.chain_rule_view.reread(inspection.explanation)

    def connect_explainer(self, host) -> None:
        """Send the chain rule view's requests to an EngineHost's Explainer; its answers come back here."""
        self.explain_requested.connect(host.explain_requested)
        host.explainer.explained.connect(self.set_explanation)

    def set_explanation(self, explanation: NodeExplanation) -> None:
        """The engine's answer to explain_requested (another element, or the numeric check)."""
        self.chain_rule_view.set_explanation(explanation, answer=True)

    def set_snapshot(self, snapshot: SessionSnapshot) -> None:
        """Ask again for the current target when this move may have changed what it shows."""
        if self._snapshot is not None and snapshot.serial == self._snapshot.serial:
            return
        self._snapshot = snapshot
        self._reread(snapshot)

    def _reread(self, snapshot: SessionSnapshot) -> None:
        if self._target is None:
            return
        dependency = self._dependency(snapshot)
        if dependency == self._asked_at:
            return
        if self.closed:
            self._stale = True
            return
        self._stale = False
        self._asked_at = dependency
        if self._available(snapshot, *self._target):
            self.inspect_requested.emit(*self._target)
        else:
            self.notes_label.setText(self.tr("Not computed in the current pass yet; it appears again when it is."))
            self.notes_label.show()
            self.scroll_area.hide()
            self.chain_rule_view.hide()

    def _on_visibility_changed(self, visible: bool) -> None:
        """Opened again: ask for what changed while it was closed."""
        if visible and self._stale and self._snapshot is not None:
            self._asked_at = None
            self._reread(self._snapshot)

    # ----- drawing -----------------------------------------------------------------------------------
    def _show_views(self, kind: str, inspection: Inspection) -> None:
        views = inspection.views
        while len(self.columns) < len(views):
            column = InspectorColumn()
            column.cell_clicked.connect(lambda index, i=len(self.columns): self._on_column_cell_clicked(i, index))
            self.columns.append(column)
            self.splitter.addWidget(column)
        for i, column in enumerate(self.columns):
            column.setVisible(i < len(views))
        # a 4-D parameter is (out, in, h, w) filters; other 4-D tensors are (sample, channel, h, w) batches
        tile_axes = (self.tr("out"), self.tr("in")) if kind == "param" else (self.tr("sample"), self.tr("channel"))
        for i, view in enumerate(views):
            caption, symmetric, empty_text = self._caption(kind, inspection.target[1], i, view)
            self.columns[i].show_view(caption, view, symmetric=symmetric, image=kind == "input",
                                      empty_text=empty_text, tile_axes=tile_axes)
        if len(views) != self._column_count:  # the same columns keep their widths: no new layout, no repaint
            self._column_count = len(views)
            self.splitter.setMinimumWidth(len(views) * (COLUMN_MIN_WIDTH + 8))
            self.splitter.setSizes([1] * len(views))  # equal widths
            self.splitter.refresh()

    def _caption(self, kind: str, key: str, i: int, view: TensorView | None) -> tuple[str, bool | None, str]:
        """Column caption, colour symmetry and the text shown for a None view."""
        if kind == "param":
            captions = (key, self.tr("{0}.grad").format(key), self.tr("before update"),
                        self.tr("change: after - before"))
            # gradients and changes are read against 0; values keep their own range
            return captions[i] if i < len(captions) else "", (True if i in (1, 3) else None), \
                self.tr("None - no backward since the start or zero_grad")
        if view is None:
            return self.tr("(no tensor)"), None, "None"
        return caption_text(view.caption, view.label), (True if view.label.startswith("grad_") else None), "None"

    def _on_column_cell_clicked(self, column: int, index: tuple) -> None:
        if self.inspection is not None and self.inspection.target[0] == "node":
            self.chain_rule_view.pick(column, index)

    def _on_chain_rule_marked(self, column: int, index: tuple) -> None:
        for i, c in enumerate(self.columns):
            c.tensor_widget.mark(index if i == column else None)

    def _show_empty(self) -> None:
        self.title_label.setText("")
        self.notes_label.hide()
        self.scroll_area.hide()
        self.chain_rule_view.hide()
        self.hint_label.show()

    def _sync_combo(self) -> None:
        index = -1 if self._target is None else self._combo_index(self._target)
        self.target_combo.blockSignals(True)
        self.target_combo.setCurrentIndex(index)
        self.target_combo.blockSignals(False)
        if index < 0 and self.inspection is not None:
            self.target_combo.setPlaceholderText(caption_text(self.inspection.heading, self.inspection.title))

    def _combo_index(self, target: tuple[str, str]) -> int:
        return self._combo_targets.index(target) if target in self._combo_targets else -1

    def _on_target_combo_activated(self, index: int) -> None:
        if not 0 <= index < len(self._combo_targets):
            return
        self._target = self._combo_targets[index]
        self._asked_at = self._dependency(self._snapshot)
        self.inspect_requested.emit(*self._target)

    # ----- when to ask again ---------------------------------------------------------------------------
    def _dependency(self, snapshot: SessionSnapshot | None) -> tuple | None:
        """What the current target's numbers depend on in `snapshot` (ids are safe: the snapshot is held)."""
        if snapshot is None or self._target is None:
            return None
        kind, key = self._target
        session = (snapshot.batch_index, tuple(sorted(snapshot.config.items())))
        done = snapshot.backward_done_ids
        if kind == "param":
            # .grad changes when this parameter's AccumulateGrad node runs, not at every backward step
            graph = snapshot.graph
            accumulated = graph is not None and any(
                graph.attrs[n].get("param") == key for n in done if n in graph.attrs)
            return session + (snapshot.param_version, snapshot.updated, id(graph), accumulated)
        if kind == "activation":
            return session + (id(snapshot.forward[0]) if snapshot.forward else None,
                              self._available(snapshot, kind, key))
        if kind == "node":
            return session + (id(snapshot.graph), key in done)
        return session

    @staticmethod
    def _available(snapshot: SessionSnapshot, kind: str, key: str) -> bool:
        if kind == "activation":
            return key.isdigit() and int(key) < len(snapshot.forward)
        if kind == "node":
            return snapshot.graph is not None and key in snapshot.graph.attrs
        return True

    def __repr__(self) -> str:
        return f"InspectorDock(target={self._target!r})"
