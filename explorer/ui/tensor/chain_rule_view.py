"""The Inspector's *Chain rule* view: how one backward node turned the gradient that came in into the ones it sent.

It shows a NodeExplanation (explorer.core.chain_rule), computed on the engine thread: the node's local rule, the
saved tensors it read, the rule's recomputation against autograd, one element worked through with its real
numbers, and, on request, the numeric check. Picking another element or checking numerically asks the engine
again (`explain_requested`); the answer comes back through `set_explanation`.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget

from explorer.ui.i18n import current_language

if TYPE_CHECKING:
    from explorer.core.chain_rule.explanation import NodeExplanation, WorkedElement

ACCUMULATE_GRAD = "AccumulateGrad"
VIEW_MIN_WIDTH = 380
_SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def _n(value: float) -> str:
    """A number in a sum: 4 significant digits, negatives in brackets so signs do not run together."""
    text = f"{value:.4g}"
    return f"({text})" if value < 0 else text


def _index(index: tuple[int, ...]) -> str:
    return "[" + ", ".join(str(i) for i in index) + "]"


def _short(name: str) -> str:
    """"mat1 (input)" -> "mat1": the name the formulas use."""
    return name.split(" ")[0]


def _block(html: str) -> str:
    return f"<div style='margin: 0 0 4px 0'>{html}</div>"


def _formula(text: str) -> str:
    """One line of mathematics: monospace, wrapping at spaces when the view is narrow."""
    return f"<span style='font-family: monospace; white-space: pre-wrap'>{text}</span>"


def _section(title: str, lines: list[str]) -> str:
    # rich text folds runs of spaces into one: the gaps between "autograd: ...   relative error: ..." stay
    body = "".join(f"<div style='margin-left: 8px'>{line.replace('   ', '&nbsp;&nbsp;&nbsp; ')}</div>" for line in lines)
    return f"<div style='margin: 6px 0 0 0'><b>{title}</b></div>{body}"


class ChainRuleView(QWidget):
    """The chain rule at one node. Columns are the Inspector's pictures: gradients in first, then gradients out."""

    explain_requested = Signal(str, object, object, bool)  # node id, slot, index, numeric
    marked = Signal(int, object)  # Inspector column and index of the worked element, to frame it there

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.explanation: NodeExplanation | None = None
        self._asked: tuple[str, int | None, tuple | None, bool] | None = None  # the request in flight

        self.heading = QLabel(self.tr("Chain rule"))
        font = QFont(self.heading.font())
        font.setBold(True)
        self.heading.setFont(font)
        self.body_label = self._text_label()
        self.worked_label = self._text_label()
        self.hint_label = QLabel(wordWrap=True)
        self.hint_label.setStyleSheet("color: #666;")
        self.check_button = QPushButton(self.tr("Check numerically"))
        self.check_button.setToolTip(self.tr(
            "Move the worked element by ±ε, rerun the forward from this node in float64, and compare "
            "(L(x+ε) − L(x−ε)) / 2ε with the gradient autograd gave."))
        self.check_button.clicked.connect(self._on_check_button_clicked)
        self.numeric_label = self._text_label()

        content = QWidget()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.setSpacing(4)
        layout.addWidget(self.heading)
        layout.addWidget(self.body_label)
        layout.addWidget(self.worked_label)
        layout.addWidget(self.hint_label)
        layout.addWidget(self.check_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.numeric_label)
        layout.addStretch(1)
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        # lines wrap to the view's width instead of running off to a horizontal scroll
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll_area.setWidget(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.scroll_area)
        self.setMinimumWidth(VIEW_MIN_WIDTH)
        self.set_explanation(None)

    @staticmethod
    def _text_label() -> QLabel:
        label = QLabel(wordWrap=True, textFormat=Qt.TextFormat.RichText)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        return label

    # ----- inputs ------------------------------------------------------------------------------------
    def reread(self, explanation: NodeExplanation | None) -> None:
        """A fresh reading of the node shown (the weights or gradients may have changed): the element the user
        picked, and the numeric check they asked for, are asked for again rather than dropped for the default."""
        before = self.explanation
        self.set_explanation(explanation)
        if (explanation is None or before is None or before.worked is None or explanation.worked is None
                or before.node_id != explanation.node_id):
            return
        kept = (before.worked.slot, tuple(before.worked.index))
        if kept != (explanation.worked.slot, tuple(explanation.worked.index)) or before.numeric is not None:
            self._ask(*kept, numeric=before.numeric is not None)

    def set_explanation(self, explanation: NodeExplanation | None, *, answer: bool = False) -> None:
        """Show `explanation` (None: the node has not run). An answer from the engine is taken only when it is
        for the node shown and the latest request: an older answer would show an element no longer picked."""
        numeric_asked = False
        if answer:
            if self.explanation is None or explanation.node_id != self.explanation.node_id:
                return
            if self._asked is not None and not self._answers(explanation, self._asked):
                return
            numeric_asked = self._asked is not None and self._asked[3]
        self._asked = None
        self.explanation = explanation
        self.check_button.setText(self.tr("Check numerically"))
        if explanation is None:
            self.body_label.setText(self.tr("The chain rule is worked out once this node has run in the backward pass."))
            for label in (self.worked_label, self.numeric_label):
                label.clear()
            self.hint_label.clear()
            self.check_button.hide()
            return
        self.body_label.setText(self._body_html(explanation))
        self.worked_label.setText(self._worked_html(explanation))
        self.numeric_label.setText(self._numeric_html(explanation) if explanation.numeric is not None or not numeric_asked
                                   else self.tr("No numeric check for this node in this pass."))
        worked = explanation.worked
        self.check_button.setVisible(worked is not None)
        self.check_button.setEnabled(True)
        self.hint_label.setText(self.tr(
            "Click a cell of a gradient picture to work that element; the largest is worked first.")
            if worked is not None else "")
        if worked is not None:
            self.marked.emit(self._column_of(explanation, worked.slot), worked.index)

    def pick(self, column: int, index: tuple[int, ...]) -> None:
        """The user clicked `index` in Inspector column `column`: work that element."""
        e = self.explanation
        if e is None or e.worked is None:
            return
        slot = self._slot_of(e, column, index)
        if slot is None:
            self.hint_label.setText(self.tr(
                "That is a gradient that came in (dL/dy): click a cell of a gradient that went out to work it."))
            return
        self._ask(slot, tuple(index), numeric=False)

    # ----- requests ----------------------------------------------------------------------------------
    def _ask(self, slot: int, index: tuple[int, ...], *, numeric: bool) -> None:
        self._asked = (self.explanation.node_id, slot, index, numeric)
        self.check_button.setEnabled(False)
        if numeric:
            self.check_button.setText(self.tr("Checking..."))
        self.explain_requested.emit(self.explanation.node_id, slot, index, numeric)

    def _on_check_button_clicked(self) -> None:
        worked = self.explanation.worked if self.explanation is not None else None
        if worked is not None:
            self._ask(worked.slot, worked.index, numeric=True)

    @staticmethod
    def _answers(e: NodeExplanation, asked) -> bool:
        _, slot, index, _numeric = asked
        return e.worked is not None and (e.worked.slot, tuple(e.worked.index)) == (slot, tuple(index))

    @staticmethod
    def _column_of(e: NodeExplanation, slot: int) -> int:
        """AccumulateGrad works on the gradient that came in (its one picture); other nodes on an outgoing one."""
        return 0 if e.cls == ACCUMULATE_GRAD else len(e.gradients_in) + slot

    @staticmethod
    def _slot_of(e: NodeExplanation, column: int, index: tuple[int, ...]) -> int | None:
        if e.cls == ACCUMULATE_GRAD:
            return 0 if column == 0 else None
        n_in = len(e.gradients_in)
        slots = {c.slot: c.shape for c in e.checks}
        if column >= n_in:
            slot = column - n_in
            return slot if slot in slots and len(slots[slot]) == len(index) else None
        # a cell of dL/dy: the outgoing gradient of the same shape, when there is one (elementwise ops)
        came_in = e.gradients_in[column]
        for slot, shape in slots.items():
            if came_in is not None and shape == came_in[0]:
                return slot
        return None

    # ----- text --------------------------------------------------------------------------------------
    def _body_html(self, e: NodeExplanation) -> str:
        zh = current_language() == "zh_CN"
        where = e.param or e.module
        html = _block(f"<b>{escape(e.cls)}</b>" + (f" ({escape(where)})" if where else ""))
        lines = e.rule_zh if zh else e.rule_en
        html += _section(self.tr("Local rule") if e.has_rule else self.tr("No written rule"),
                         [_formula(escape(line)) for line in lines])
        if e.input_note:
            html += _block(f"<i>{escape(e.input_note[1] if zh else e.input_note[0])}</i>")
        saved = []
        for v in e.saved:
            if v.shape is None and not v.used:
                continue  # torch's bookkeeping (sizes, strides) that the rule does not read
            what = escape(str(list(v.shape))) if v.shape is not None else "= " + escape(v.value)
            extra = [self.tr("from {0}").format(escape(v.produced_by))] if v.produced_by else []
            extra += [self.tr("used by the rule")] if v.used else []
            saved.append(f"<code>_saved_{escape(v.name)}</code> {what}"
                         + (f" <span style='color:#555'>· {' · '.join(extra)}</span>" if extra else ""))
        html += _section(self.tr("Saved tensors"), saved or [self.tr("none: the rule needs only the gradient that came in")])
        if e.checks:
            rows = []
            for c in e.checks:
                diff = self.tr("the rule gives nothing here") if c.max_abs_diff is None else self.tr(
                    "largest difference from autograd {0:.3g} (relative {1:.3g})").format(c.max_abs_diff, c.relative)
                rows.append(f"<code>dL/d{escape(_short(c.name))}</code> {list(c.shape)} |g| = {c.norm:.4g}: {diff}")
            html += _section(self.tr("Recomputed from the rule"), rows)
        if e.problem:
            html += _block(f"<span style='color:#a33'>{escape(e.problem)}</span>")
        return html

    def _worked_html(self, e: NodeExplanation) -> str:
        w = e.worked
        if w is None:
            return ""
        if e.cls == ACCUMULATE_GRAD:
            held = self.tr("None counts as 0") if w.rest_count == 0 else self.tr("the .grad held before")
            line = (f"{escape(e.param or 'p')}.grad{_index(w.index)} = {_n(w.rest_sum)} + "
                    f"{_n(w.terms[0].grad) if w.terms else '0'} = {w.total:.6g}")
            return _section(self.tr("Worked element"), [_formula(line), self.tr("({0}, plus dL/dp that came in)").format(held)])
        return _section(self.tr("Worked element"), self._sum_lines(e, w))

    def _sum_lines(self, e: NodeExplanation, w: WorkedElement) -> list[str]:
        x = escape(_short(w.name)) + _index(w.index)
        several = any(t.output > 0 for t in w.terms) or len(e.gradients_in) > 1
        y = (lambda k: f"y{str(k).translate(_SUBSCRIPTS)}") if several else (lambda k: "y")
        terms = " + ".join(f"{_n(t.grad)} × {_n(t.factor)}" for t in w.terms) or "0"
        rest = (" + " + self.tr("(the other {0} terms: {1})").format(w.rest_count, _n(w.rest_sum))) if w.rest_count else ""
        product, others = self.tr("product"), self.tr("the other {0} terms").format(w.rest_count)
        rows = [f"<tr><th align='left'>j&nbsp;</th><th align='right'>dL/dy[j]&nbsp;</th>"
                f"<th align='right'>∂y[j]/∂{x}&nbsp;</th><th align='right'>{product}</th></tr>"]
        for t in w.terms:
            rows.append(f"<tr><td>{y(t.output)}{_index(t.index)}</td><td align='right'>{t.grad:.4g}</td>"
                        f"<td align='right'>{t.factor:.4g}</td><td align='right'>{t.value:.4g}</td></tr>")
        if w.rest_count:
            rows.append(f"<tr><td colspan='3'>{others}</td>"
                        f"<td align='right'>{w.rest_sum:.4g}</td></tr>")
        rule = "" if w.rule_value is None else "   " + self.tr("the rule: {0:.6g}").format(w.rule_value)
        return [_formula(f"dL/d{x} = Σⱼ dL/dy[j] · ∂y[j]/∂{x}"), _formula(f"= {terms}{rest}"),
                _formula(f"= {w.total:.6g}"),
                "<table cellspacing='6' cellpadding='0' style='margin-left: 2px'>" + "".join(rows) + "</table>",
                self.tr("autograd: {0:.6g}").format(w.autograd) + rule]

    def _numeric_html(self, e: NodeExplanation) -> str:
        n = e.numeric
        if n is None:
            return ""
        what = self.tr("L is the loss as this node sees it: Σ dL/dy · y(x), dL/dy held fixed") if n.kind == "local" \
            else self.tr("L is the model's loss, rerun in float64 with this element moved")
        name = e.param + ".grad" if e.cls == ACCUMULATE_GRAD and e.param else "dL/d" + _short(e.worked.name if e.worked else "x")
        lines = [_formula(f"{escape(name)}{_index(n.index)}: (L(x+ε) − L(x−ε)) / 2ε = {n.value:.6g}"),
                 self.tr("autograd: {0:.6g}   relative error: {1:.2g}   ε = {2:.0e}").format(n.autograd, n.relative, n.eps),
                 f"<span style='color:#555'>{what}</span>"]
        if n.kink:
            lines.append(self.tr("A corner: the one-sided slopes are {0:.6g} and {1:.6g}.").format(n.left, n.right))
        return _section(self.tr("Numeric check"), lines)

    def __repr__(self) -> str:
        e = self.explanation
        return f"ChainRuleView({e.cls if e else None}, {e.worked.index if e and e.worked else None})"
