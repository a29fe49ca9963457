"""The window's arrangement: sizes chosen for the screen, docks that scroll instead of growing the window.

A top-level window grows itself whenever its layout's minimum size passes its size (QLayout sets the
window's minimum size, and the window manager then has to obey it). In a dock area the minimum of a column
is the largest minimum of its docks, tabbed ones included, so one label that wants 600 px (a long target
line, four inspector columns, nine training plots in a grid) pushed the window past the screen. Each dock's
content therefore sits in a scroll area, and the dock's own minimum is a fixed, small size: what does not
fit scrolls, and every divider can move down to those minimums.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QRect, QSize, Qt
from PySide6.QtWidgets import QDockWidget, QFrame, QMainWindow, QScrollArea, QWidget

# The smallest size at which each panel still shows something useful (its title row and a little content);
# with a screen of 1280x720 the default arrangement gives every dock well above these.
DOCK_MINIMUMS = {
    "ModelDock": QSize(180, 120),
    "TrainingDock": QSize(180, 120),
    "ActivationsDock": QSize(180, 140),
    "GraphDock": QSize(240, 160),
    "TrainingPlotsDock": QSize(240, 160),
    "InspectorDock": QSize(240, 140),
    "TutorialDock": QSize(260, 200),
}
PREFERRED_SIZE = QSize(1440, 900)  # the size the window opens at where the screen has room for it
SCREEN_SHARE = 0.95  # of the screen's available area, at most, on a smaller screen


def scrolled(dock: QDockWidget) -> QScrollArea:
    """Put the dock's content into a scroll area (frameless, resizing it while there is room)."""
    body = dock.widget()
    if isinstance(body, QScrollArea):
        area = body
    else:
        area = QScrollArea(dock)
        area.setObjectName(dock.objectName() + "Scroll")
        area.setWidgetResizable(True)
        area.setFrameShape(QFrame.Shape.NoFrame)
        area.setWidget(body)
        dock.setWidget(area)
    return area


def fit_docks(docks) -> None:
    """Every dock scrolls its content and has its fixed minimum."""
    for dock in docks:
        scrolled(dock)
        dock.setMinimumSize(DOCK_MINIMUMS.get(dock.objectName(), QSize(180, 120)))


def available_area(window: QWidget) -> QRect:
    screen = window.screen()
    return screen.availableGeometry() if screen is not None else QRect(0, 0, 1280, 720)


def default_size(available: QRect) -> QSize:
    """PREFERRED_SIZE where it fits, else SCREEN_SHARE of the available area (the window frame needs some)."""
    return QSize(min(PREFERRED_SIZE.width(), int(available.width() * SCREEN_SHARE)),
                 min(PREFERRED_SIZE.height(), int(available.height() * SCREEN_SHARE)))


def fits(frame: QRect, available: QRect) -> bool:
    """Whether a saved window rectangle lies on the available area (a few pixels of frame may stick out)."""
    return available.adjusted(-16, -16, 16, 16).contains(frame)


def restore_geometry(window: QMainWindow, geometry: QByteArray | None) -> bool:
    """Restore the saved geometry only if it fits the screen the window is on now; otherwise the default
    size for that screen, centred. Returns whether the saved one was used."""
    available = available_area(window)
    if geometry is not None and window.restoreGeometry(geometry):
        if window.isMaximized() or fits(window.frameGeometry(), available):
            return True
        window.setWindowState(Qt.WindowState.WindowNoState)
    size = default_size(available)
    window.resize(size)
    window.move(available.center() - QRect(0, 0, size.width(), size.height()).center())
    return False


def state_fits(window: QMainWindow) -> bool:
    """After restoreState: every visible dock at least its minimum and inside the window."""
    area = window.rect()
    for dock in window.findChildren(QDockWidget):
        g = dock.geometry()
        # a dock behind another tab counts as visible but is parked outside the window
        if dock.isVisible() and not dock.isFloating() and area.intersects(g):
            if g.width() < dock.minimumWidth() or g.height() < dock.minimumHeight() or not area.contains(g):
                return False
    return True


def apply_default_sizes(window) -> None:
    """Dock proportions need the window's real size, so they are set once it is shown: the model and
    activations column takes 30%, the graph over the inspector the rest (graph 60%, inspector 40%)."""
    w, h = max(window.width(), 800), max(window.height(), 600)
    window.resizeDocks([window.model_dock, window.graph_dock], [int(w * 0.3), int(w * 0.7)], Qt.Orientation.Horizontal)
    window.resizeDocks([window.model_dock, window.activations_dock], [int(h * 0.36), int(h * 0.64)], Qt.Orientation.Vertical)
    window.resizeDocks([window.graph_dock, window.inspector_dock], [int(h * 0.6), int(h * 0.4)], Qt.Orientation.Vertical)


def fit_toolbar(window) -> None:
    """Words beside the step buttons' icons where the toolbar has room for them, icons alone where it has not
    (a button without an icon keeps its words): at 1280 px wide the worded toolbar hid half its buttons."""
    bar = window.step_toolbar
    worded = Qt.ToolButtonStyle.ToolButtonTextBesideIcon
    needed = window.worded_toolbar_width if hasattr(window, "worded_toolbar_width") else None
    if needed is None:
        if bar.toolButtonStyle() != worded:
            return
        needed = window.worded_toolbar_width = bar.sizeHint().width() + window.training_toolbar.sizeHint().width()
    style = worded if window.width() >= needed + 24 else Qt.ToolButtonStyle.ToolButtonIconOnly
    if bar.toolButtonStyle() != style:
        bar.setToolButtonStyle(style)
