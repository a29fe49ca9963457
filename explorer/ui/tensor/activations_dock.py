"""The Activations dock: the input, then what each revealed forward step produced, as a scrolling list of cards.

Cards are kept while the forward pass they show lasts (a step's picture never changes once made), so a step
forward adds one card instead of redrawing all. The prediction and target sit under the list.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QMouseEvent
from PySide6.QtWidgets import QDockWidget, QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget

from explorer.ui.palette import module_color
from explorer.ui.phrases import status_text
from explorer.ui.tensor.bar_chart import BarChart
from explorer.ui.tensor.widgets import TensorWidget
from explorer.core.wording import dims

if TYPE_CHECKING:
    from explorer.core.snapshot import ForwardStepPicture, SessionSnapshot, TensorView

CARD_PICTURE_HEIGHT = 150
CURRENT_BORDER = "#d9480f"


def shape_text(view: TensorView | None) -> str:
    return dims(view.values.shape) if view is not None and view.values.ndim else "-"


class ActivationCard(QFrame):
    """One tensor in the list: a title over a compact picture; clicking anywhere on it asks to inspect it."""

    clicked = Signal()

    def __init__(self, title: str, view: TensorView | None, *, module: str | None, image: bool = False,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.title_label = QLabel()
        font = QFont(self.title_label.font())
        font.setBold(True)
        self.title_label.setFont(font)
        self.tensor_widget = TensorWidget(details=False, interactive=False)
        self.tensor_widget.setFixedHeight(CARD_PICTURE_HEIGHT)
        self.tensor_widget.clicked.connect(self.clicked)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 6, 4)
        layout.setSpacing(2)
        layout.addWidget(self.title_label)
        layout.addWidget(self.tensor_widget)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip(self.tr("Click to inspect these numbers"))
        self.current = False
        self.set_content(title, view, module=module, image=image)

    def set_content(self, title: str, view: TensorView | None, *, module: str | None, image: bool = False) -> None:
        """Show another tensor in this card (cards are reused from pass to pass: building plots is slow)."""
        self.view = view
        self.module = module
        self._stripe = module_color(module).name()
        self.title_label.setText(title)
        self.tensor_widget.set_view(view, image=image, empty_text=self.tr("(no tensor)"))
        self.set_current(False)

    def set_current(self, current: bool) -> None:
        border = f"2px solid {CURRENT_BORDER}" if current else "1px solid #c8c8c8"
        background = "#fff4e6" if current else "white"
        # the left stripe carries the module's colour, as in the graph and the model tree
        self.setStyleSheet(f"ActivationCard {{ border: {border}; border-left: 6px solid {self._stripe}; "
                           f"background: {background}; border-radius: 3px; }}")
        self.current = current

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit()
        super().mouseReleaseEvent(event)

    def __repr__(self) -> str:
        return f"ActivationCard({self.title_label.text()!r})"


class ActivationsDock(QDockWidget):
    inspect_requested = Signal(str, str)  # kind, key

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("ActivationsDock")
        self.setWindowTitle(self.tr("Activations"))
        self._snapshot: SessionSnapshot | None = None
        self._input_values: np.ndarray | None = None
        self.input_card: ActivationCard | None = None
        self.cards: list[ActivationCard] = []  # one per revealed forward step, in order
        self._card_pool: list[ActivationCard] = []  # every card ever made; those past len(cards) are hidden
        self._pictures: list[ForwardStepPicture] = []

        self.hint_label = QLabel(self.tr("Press Step forward (F10) to run the network one layer at a time."),
                                 wordWrap=True, alignment=Qt.AlignmentFlag.AlignCenter)
        self.hint_label.setStyleSheet("color: #666; font-size: 11pt; padding: 12px;")
        self.list_widget = QWidget()
        self.list_layout = QVBoxLayout(self.list_widget)
        self.list_layout.setContentsMargins(4, 4, 4, 4)
        self.list_layout.setSpacing(6)
        self.list_layout.addWidget(self.hint_label)
        self.list_layout.addStretch(1)
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll_area.setWidget(self.list_widget)
        self._scroll_target: ActivationCard | None = None
        self.scroll_area.verticalScrollBar().rangeChanged.connect(self._on_scroll_range_changed)

        self.prediction_label = QLabel()
        bold = QFont(self.prediction_label.font())
        bold.setBold(True)
        bold.setPointSize(bold.pointSize() + 1)
        self.prediction_label.setFont(bold)
        self.prediction_chart = BarChart(interactive=False)
        self.prediction_chart.setFixedHeight(130)
        self.target_label = QLabel()
        self.target_label.setFont(bold)
        footer = QFrame()
        footer.setFrameShape(QFrame.Shape.StyledPanel)
        footer_layout = QVBoxLayout(footer)
        footer_layout.setContentsMargins(6, 4, 6, 4)
        footer_layout.setSpacing(2)
        footer_layout.addWidget(self.prediction_label)
        footer_layout.addWidget(self.prediction_chart)
        footer_layout.addWidget(self.target_label)

        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.scroll_area, 1)
        layout.addWidget(footer)
        self.setWidget(body)
        self.prediction_label.hide()
        self.prediction_chart.hide()

    # ----- snapshot ----------------------------------------------------------------------------------
    def set_snapshot(self, snapshot: SessionSnapshot) -> None:
        if self._snapshot is not None and snapshot.serial == self._snapshot.serial:
            return
        self._snapshot = snapshot
        self._show_input(snapshot.input)
        self._show_forward(snapshot.forward)
        self._mark_current(snapshot)
        self._show_prediction(snapshot)
        self.target_label.setText(status_text(snapshot.target))

    def _show_input(self, view: TensorView) -> None:
        if self._input_values is not None and np.array_equal(self._input_values, view.values):
            return
        self._input_values = view.values
        if self.input_card is not None:
            self.input_card.deleteLater()
        self.input_card = ActivationCard(self.tr("input -> {0}").format(shape_text(view)), view, module=None,
                                         image=True)
        self.input_card.clicked.connect(lambda: self.inspect_requested.emit("input", ""))
        self.list_layout.insertWidget(0, self.input_card)
        self.input_card.show()

    def _show_forward(self, forward: tuple[ForwardStepPicture, ...]) -> None:
        keep = 0  # cards whose picture is the very same object stay as they are
        while keep < min(len(forward), len(self._pictures)) and forward[keep] is self._pictures[keep]:
            keep += 1
        self._pictures = list(forward)
        for i in range(keep, len(forward)):
            if i < len(self._card_pool):
                self._fill_card(self._card_pool[i], forward[i])
            else:
                card = self._make_card(forward[i])
                self._card_pool.append(card)
                self.list_layout.insertWidget(self.list_layout.indexOf(self.hint_label), card)
            self._card_pool[i].show()  # now, not when the layout's queued show arrives: callers may ask right away
        for card in self._card_pool[len(forward):]:
            card.hide()
        self.cards = self._card_pool[: len(forward)]
        self.hint_label.setVisible(not forward)

    def _card_title(self, picture: ForwardStepPicture) -> str:
        return self.tr("{0}. {1} -> {2}").format(picture.index + 1, picture.title, shape_text(picture.output))

    @staticmethod
    def _card_module(picture: ForwardStepPicture) -> str | None:
        return picture.name if picture.kind == "module" else picture.owner

    def _fill_card(self, card: ActivationCard, picture: ForwardStepPicture) -> None:
        card.set_content(self._card_title(picture), picture.output, module=self._card_module(picture))
        card.index = picture.index

    def _make_card(self, picture: ForwardStepPicture) -> ActivationCard:
        card = ActivationCard(self._card_title(picture), picture.output, module=self._card_module(picture))
        card.index = picture.index
        card.clicked.connect(lambda card=card: self.inspect_requested.emit("activation", str(card.index)))
        return card

    def _mark_current(self, snapshot: SessionSnapshot) -> None:
        """The last revealed step while going forward; the module running backward while going backward."""
        if snapshot.phase in ("forward", "forward done"):
            current = {len(self.cards) - 1}
        elif snapshot.phase == "backward" and snapshot.current_module is not None:
            current = {i for i, p in enumerate(self._pictures) if p.kind == "module" and p.name == snapshot.current_module}
        else:
            current = set()
        for i, card in enumerate(self.cards):
            is_current = i in current
            if is_current != card.current:
                card.set_current(is_current)
                if is_current:
                    self._scroll_to(card)

    def _scroll_to(self, card: ActivationCard) -> None:
        self._scroll_target = card
        self.scroll_area.ensureWidgetVisible(card, 0, 0)

    def _on_scroll_range_changed(self, _low: int, _high: int) -> None:
        # a card just added is placed only later, when the list has grown: scroll to it then
        if self._scroll_target in self.cards:
            self.scroll_area.ensureWidgetVisible(self._scroll_target, 0, 0)

    def _show_prediction(self, snapshot: SessionSnapshot) -> None:
        probs = snapshot.output_probs
        self.prediction_label.setText(status_text(snapshot.prediction))
        self.prediction_label.setVisible(bool(self.prediction_label.text()))
        self.prediction_chart.setVisible(probs is not None)
        if probs is None:
            return
        # class names exist only for classification, where output_probs are softmax probabilities
        classification = len(snapshot.class_names) == probs.size
        self.prediction_chart.show_values(probs, labels=snapshot.class_names if classification else None,
                                          highlight=int(np.argmax(probs)) if classification else None,
                                          signed_colours=not classification)

    def __repr__(self) -> str:
        return f"ActivationsDock({len(self.cards)} cards)"
