"""The main window: stepping actions, menus, docks and settings around the engine thread.

Snapshots arrive from the engine whenever a move finishes; the window draws the newest at most ~30 times a
second, so a burst of moves never queues a burst of redraws, while a single click is drawn at once.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QWidget

from explorer.core.moves import Move
from explorer.core.session import SessionConfig
from explorer.core.snapshot import ModelInfo, SessionSnapshot
from explorer.core.training.messages import TrainingState, TrainingUpdate
from explorer.ui.window.about import show_about
from explorer.ui.window.action_buttons import follow_actions
from explorer.ui.actions import create_move_actions, set_enabled_moves, standard_shortcut
from explorer.ui.tensor.activations_dock import ActivationsDock
from explorer.ui.checkpoint.compare_dialog import CompareController
from explorer.ui.checkpoint.controller import CheckpointController
from explorer.ui.window.closing import engine_stopped
from explorer.ui.window.device_menus import DeviceMenus
from explorer.ui.engine.host import EngineHost
from explorer.ui.window.error_box import show_engine_error
from explorer.ui.graph.dock import GraphDock
from explorer.ui.i18n import LANGUAGES, choose_language
from explorer.ui.window.language_switch import TAKE_OVER_TOKEN, switch_language, take_over
from explorer.ui.tensor.inspector_dock import InspectorDock
from explorer.ui.tensor.widgets import TensorWidget
from explorer.ui.open.controller import ModelDataController
from explorer.ui.window.run_view import RunView
from explorer.ui.model_dock import ModelDock
from explorer.ui.palette import set_module_order
from explorer.ui.window.session_menus import SessionMenus
from explorer.ui.window.train_mode import TrainModeAction
from explorer.ui.settings import load_session_config
from explorer.ui.window.move_answers import MoveAnswers
from explorer.ui.window.move_messages import move_done_text
from explorer.ui.phrases import notice_text, settings_text, status_text
from explorer.ui.training.actions import create_training_actions, set_enabled_training
from explorer.ui.training.dock import TrainingDock
from explorer.ui.training.plots import TrainingPlotsDock
from explorer.ui.window.settings_io import read_window_settings, write_window_settings
from explorer.ui.tutorial.dock import TutorialDock
from explorer.ui.window.step_in_view import StepInView
from explorer.ui.window.training_link import TrainingLink
from explorer.ui.window.tutorial_link import TutorialLink
from explorer.ui.window.layout import apply_default_sizes, fit_docks, fit_toolbar, state_fits

REDRAW_INTERVAL_MS = 33  # at most ~30 redraws a second, however fast the engine answers


class MainWindow(QMainWindow):
    snapshot_shown = Signal(object)  # the SessionSnapshot the views have just drawn (tests and benchmarks wait on it)

    def __init__(self, config: SessionConfig | None = None, settings: QSettings | None = None,
                 parent: QWidget | None = None, engine: EngineHost | None = None):
        """engine: an engine thread to take over from another window (a language switch keeps the session)."""
        super().__init__(parent)
        self.setObjectName("MainWindow")
        self.setWindowTitle(self.tr("Watch a network think and learn"))  # Qt appends " — explorer"
        self.settings = settings if settings is not None else QSettings()
        self.snapshot: SessionSnapshot | None = None
        self.steps_since_export = 0  # optimizer steps since the weights were last saved (the quit prompt reads it)
        self.training_state = TrainingState("idle")
        self._pending: SessionSnapshot | None = None
        self.error_box = None  # the last engine failure shown (tests read it)
        self._announce: tuple[Move | None, int] = (None, -1)  # a move (and its request id) the status bar will report
        self.move_answers = MoveAnswers(self)
        self.engine = engine if engine is not None else EngineHost(self)
        self.engine.setParent(self)
        self._handed_over = False
        self._closing = False  # set once a close has asked the engine to stop
        self.training_actions = create_training_actions(self, TrainingLink(self).trigger)
        self.create_docks()
        self.create_actions()
        self.create_menus()
        self.create_tool_bars()
        self.create_status_bar()
        self.read_settings()
        self._connect_engine()
        self.checkpoints = CheckpointController(self)
        self.compare = CompareController(self, lambda parent: TensorWidget(parent))
        self.add_file_actions([self.compare.action])
        self.checkpoints.run_provider = self.training_plots_dock.current_run_plain  # a run's curves travel
        self.checkpoints.run_opened = self.training_plots_dock.add_run_plain  # with its checkpoint
        self.model_data = ModelDataController(self)
        self.runs = RunView(self)  # File > Open run...: a run recorded by explorer.watch
        follow_actions(self)
        # Throttle, not delay: a snapshot is drawn at once unless one was drawn in the last interval;
        # then the newest one waits for the interval to end (older ones are dropped).
        self._redraw_timer = QTimer(self)
        self._redraw_timer.setSingleShot(True)
        self._redraw_timer.setInterval(REDRAW_INTERVAL_MS)
        self._redraw_timer.timeout.connect(self._on_redraw_timer_timeout)
        if engine is None:
            self.engine.configure(config or load_session_config(self.settings))

    # ----- construction ------------------------------------------------------------------------------
    def create_docks(self) -> None:
        self.setDockNestingEnabled(True)
        self.model_dock = ModelDock(self)
        self.graph_dock = GraphDock(self)
        self.inspector_dock = InspectorDock(self)
        self.activations_dock = ActivationsDock(self)
        self.docks = (self.model_dock, self.graph_dock, self.activations_dock, self.inspector_dock)
        # Left column: the model over the activations; right: the graph over the inspector.
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.model_dock)
        self.splitDockWidget(self.model_dock, self.graph_dock, Qt.Orientation.Horizontal)
        self.splitDockWidget(self.model_dock, self.activations_dock, Qt.Orientation.Vertical)
        self.splitDockWidget(self.graph_dock, self.inspector_dock, Qt.Orientation.Vertical)
        for dock in self.docks:
            dock.inspect_requested.connect(self._on_view_inspect_requested)
        # Training: its panel in a tab beside the model, its curves in a tab beside the graph.
        self.training_dock = TrainingDock(self.training_actions, self)
        self.training_plots_dock = TrainingPlotsDock(self)
        self.tabifyDockWidget(self.model_dock, self.training_dock)
        self.tabifyDockWidget(self.graph_dock, self.training_plots_dock)
        self.model_dock.raise_()
        self.graph_dock.raise_()
        self.training_docks = (self.training_dock, self.training_plots_dock)
        # The guided walk: on the right, closed until Help > Guided tutorial opens it.
        self.tutorial_dock = TutorialDock(self)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.tutorial_dock)
        self.tutorial_dock.hide()
        self.tutorial_link = TutorialLink(self)
        self.step_link = StepInView(self)
        fit_docks(self.docks + self.training_docks + (self.tutorial_dock,))

    def create_actions(self) -> None:
        self.move_actions = create_move_actions(self, self._on_move_triggered)
        self.quit_action = QAction(self.tr("&Quit"), self, shortcut=standard_shortcut(QKeySequence.StandardKey.Quit, "Ctrl+Q"),
                                   statusTip=self.tr("Quit explorer"), triggered=self.close)
        self.about_action = QAction(self.tr("&About explorer"), self, triggered=lambda: show_about(self))
        self.tutorial_action = QAction(self.tr("&Guided tutorial"), self, shortcut=QKeySequence("F1"),
                                       triggered=self.show_tutorial,
                                       statusTip=self.tr("Walk through the tutorial page, running each cell in the app"))
        self.language_group = QActionGroup(self)
        self.language_actions: dict[str, QAction] = {}
        current = choose_language(None, self.settings)
        for code, name in LANGUAGES.items():
            a = QAction(name, self, checkable=True, checked=code == current)  # named in itself: anyone finds theirs
            a.setObjectName(f"action_language_{code}")
            a.triggered.connect(lambda checked=False, c=code: switch_language(self, c))
            self.language_group.addAction(a)
            self.language_actions[code] = a
        self.reset_layout_action = QAction(self.tr("Reset &layout"), self, triggered=self.reset_layout,
                                           statusTip=self.tr("Put every panel back where it started"))
        self.session_menus = SessionMenus(self, self.engine)
        self.train_mode = TrainModeAction(self, self.engine)

    def create_menus(self) -> None:
        bar = self.menuBar()
        self.file_menu = bar.addMenu(self.tr("&File"))
        self.file_menu.addAction(self.quit_action)
        step_menu = bar.addMenu(self.tr("&Step"))
        for name, action in self.move_actions.items():
            step_menu.addAction(action)
            if name in (Move.LOSS, Move.BACKWARD_FROM_OUTPUT, Move.UPDATE):
                step_menu.addSeparator()
        self.session_menus.fill(bar.addMenu(self.tr("&Data")), bar.addMenu(self.tr("&Optimizer")))
        training_menu = bar.addMenu(self.tr("&Training"))
        training_menu.addActions(list(self.training_actions.values()))
        training_menu.addSeparator()
        training_menu.addAction(self.train_mode.action)
        self.device_menus = DeviceMenus(self, self.engine, training_menu)
        self.view_menu = bar.addMenu(self.tr("&View"))
        for dock in self.docks + self.training_docks + (self.tutorial_dock,):
            self.view_menu.addAction(dock.toggleViewAction())
        self.view_menu.addSeparator()
        self.view_menu.addAction(self.reset_layout_action)
        language_menu = self.view_menu.addMenu(self.tr("&Language / 语言"))
        language_menu.addActions(list(self.language_actions.values()))
        help_menu = bar.addMenu(self.tr("&Help"))
        help_menu.addAction(self.tutorial_action)
        help_menu.addAction(self.about_action)

    def add_file_actions(self, actions: list[QAction]) -> None:
        """Put actions into the File menu above Quit, followed by a separator."""
        self.file_menu.insertActions(self.quit_action, actions)
        self.file_menu.insertSeparator(self.quit_action)

    def create_tool_bars(self) -> None:
        self.step_toolbar = self.addToolBar(self.tr("Step"))
        self.step_toolbar.setObjectName("StepToolBar")
        self.step_toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        for name, action in self.move_actions.items():
            self.step_toolbar.addAction(action)
            if name in (Move.RUN_FORWARD, Move.LOSS, Move.BACKWARD_FROM_OUTPUT, Move.UPDATE):
                self.step_toolbar.addSeparator()
        self.training_toolbar = self.addToolBar(self.tr("Training"))
        self.training_toolbar.setObjectName("TrainingToolBar")
        self.training_toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)  # the panel has the words
        self.training_toolbar.addActions(list(self.training_actions.values()))

    def create_status_bar(self) -> None:
        self.step_label = QLabel(self.tr("starting..."), self)
        self.step_label.setObjectName("StepStatus")
        self.step_label.setStyleSheet("font-weight: bold; padding: 0 6px;")
        self.config_label = QLabel(self)
        # no stretch: the message area on the left keeps its room for what an action just did
        self.statusBar().addPermanentWidget(self.step_label)
        self.statusBar().addPermanentWidget(self.config_label)

    def _connect_engine(self) -> None:
        e = self.engine.engine
        e.move_answered.connect(self.move_answers.on_answered)  # sent just before the snapshot it names
        e.snapshot_ready.connect(self._on_engine_snapshot_ready)
        e.model_changed.connect(self._on_engine_new_model)
        e.inspected.connect(self.inspector_dock.set_inspection)
        self.inspector_dock.connect_explainer(self.engine)
        self.engine.explainer.failed.connect(self._on_engine_failed)
        e.failed.connect(self._on_engine_failed)
        e.error.connect(self._on_engine_error)
        e.notice.connect(self._on_engine_notice)  # a bound method: queued to the GUI thread, unlike a lambda
        e.training_update.connect(self._on_engine_training_update)
        e.training_state.connect(self._on_engine_training_state)
        e.devices_found.connect(self._on_engine_devices_found)
        e.device_changed.connect(self.device_menus.on_device_changed)
        e.threads_changed.connect(self.device_menus.on_threads_changed)
        self.engine.inspect_asked.connect(self.inspector_dock.expect)

    # ----- settings ----------------------------------------------------------------------------------
    def read_settings(self) -> None:
        """Restore what the settings file holds (untrusted input: see explorer.ui.window.settings_io)."""
        self._default_state = self.saveState()
        self.layout().activate()  # the minimum size it set while the docks were built is too big now
        self._sized = False
        self._layout_restored = self._geometry_restored = False
        self.settings_problems = read_window_settings(self)

    def write_settings(self) -> None:
        write_window_settings(self)

    def reset_layout(self) -> None:
        for dock in self.docks + self.training_docks:
            dock.show()
        self.restoreState(self._default_state)
        self._apply_default_sizes()

    def _apply_default_sizes(self) -> None:
        apply_default_sizes(self)

    def _check_restored_layout(self) -> None:
        """A saved arrangement made on a bigger screen may squeeze docks below their minimum: start afresh."""
        if not state_fits(self):
            self.reset_layout()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        fit_toolbar(self)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not self._sized:
            self._sized = True
            QTimer.singleShot(0, self._check_restored_layout if self._layout_restored else self._apply_default_sizes)

    # ----- engine -> views ---------------------------------------------------------------------------
    def _on_engine_snapshot_ready(self, snapshot: SessionSnapshot) -> None:
        self._pending = snapshot
        if not self._redraw_timer.isActive():
            self._on_redraw_timer_timeout()

    def _on_redraw_timer_timeout(self) -> None:
        snapshot, self._pending = self._pending, None
        if snapshot is None:
            return
        self._redraw_timer.start()
        self.snapshot = snapshot
        self._enable_moves()
        self.step_label.setText(status_text(snapshot.status))
        move, request = self._announce
        if move is not None and self.move_answers.drawn(request, snapshot):
            self._announce = (None, -1)
            if text := move_done_text(move, snapshot):
                self.statusBar().showMessage(text, 6000)
            self.step_link.after_move(snapshot)
        self._show_config()
        for dock in self.docks:
            dock.set_snapshot(snapshot)
        self.snapshot_shown.emit(snapshot)

    def _show_config(self) -> None:
        if self.snapshot is not None:
            self.config_label.setText(settings_text(self.snapshot, self.training_state))

    def _on_engine_new_model(self, info: ModelInfo) -> None:
        """Another model or data set: the old run's curves, progress and inspector target go with it."""
        self.training_plots_dock.start_run()
        self.training_dock.reset()
        self.inspector_dock.clear()
        self._on_engine_model_changed(info)

    def _on_engine_model_changed(self, info: ModelInfo) -> None:
        set_module_order(row.name for row in info.rows)  # before any view colours a module
        self.model_dock.set_model_info(info)
        self.inspector_dock.set_model_info(info)
        self.training_plots_dock.set_param_names(info.param_names)
        self.session_menus.show_config(self.engine.config)

    def _on_engine_failed(self, message: str) -> None:
        self._announce = (None, -1)  # the move did not happen: its message must not claim it did
        self.statusBar().showMessage(message, 8000)
        self._enable_moves()

    def _on_engine_notice(self, phrase) -> None:
        """A setting the new session took otherwise than asked (explorer.core.batch_rule), in the window's language."""
        self.statusBar().showMessage(notice_text(phrase), 15000)

    def _on_engine_error(self, message: str) -> None:
        self.statusBar().showMessage(message.partition("\n")[0], 15000)
        self.error_box = show_engine_error(self, message)
        self._enable_moves()

    def _enable_moves(self) -> None:
        """The session's legal moves, none while training runs (the engine thread is busy with it)."""
        running = self.training_state.phase == "running"
        legal = self.snapshot.legal_moves if self.snapshot is not None and not running else frozenset()
        set_enabled_moves(self.move_actions, legal)
        live = self.snapshot is not None and self.snapshot.live  # a user's object (explorer.show): see set_enabled
        self.session_menus.set_enabled(not running and not live)
        self.device_menus.set_enabled(not running)
        self.train_mode.show(self.snapshot, running)

    # ----- training ----------------------------------------------------------------------------------
    def _on_engine_training_update(self, update: TrainingUpdate) -> None:
        self.training_plots_dock.add_update(update)
        self.training_dock.set_update(update)
        self.steps_since_export += sum(1 for m in update.metrics if m.nonfinite is None)

    def _on_engine_training_state(self, state: TrainingState) -> None:
        self.training_state = state
        self.training_dock.set_state(state)
        self._show_config()
        set_enabled_training(self.training_actions, state.phase)
        if state.test_accuracy is not None:
            self.training_plots_dock.add_test_point(state.step, state.test_accuracy)
        if state.phase != "running":
            self.training_plots_dock.finish()
        if state.nonfinite_step is not None:
            self.training_dock.raise_()
            self.statusBar().showMessage(state.message, 15000)
        if state.error:
            self._on_engine_error(state.message)
        self._enable_moves()

    def _on_engine_devices_found(self, choices, threads, in_use: int) -> None:
        self.device_menus.on_devices_found(choices, threads, in_use)
        self._enable_moves()

    # ----- user -> engine ----------------------------------------------------------------------------
    def _on_move_triggered(self, move: Move) -> None:
        # Until the engine answers, no second move can be queued behind this one.
        set_enabled_moves(self.move_actions, frozenset())
        self._announce = (move, self.move_answers.ask(self.engine, move))

    def _on_view_inspect_requested(self, kind: str, key: str) -> None:
        self.engine.inspect(kind, key)
        self.inspector_dock.raise_()  # in case it is tabbed behind another panel

    # ----- guided tutorial and language ------------------------------------------------------------------
    def show_tutorial(self) -> None:
        self.tutorial_link.show()

    def take_over(self, old: "MainWindow") -> None:
        """Become the window of `old`'s engine and session: its layout, state and counters (language switch)."""
        take_over(self, old)

    def on_engine_taken_over(self, token: str, info) -> None:
        if token == TAKE_OVER_TOKEN:
            self.engine.engine.task_finished.disconnect(self.on_engine_taken_over)
            self._on_engine_model_changed(info)
            self.tutorial_dock.set_model_info(info)  # it hears model_changed only from a new model

    def hand_over(self) -> None:
        """Close without stopping the engine: another window has taken it over."""
        self._handed_over = True
        self.close()

    # ----- closing -----------------------------------------------------------------------------------
    def closeEvent(self, event) -> None:
        """Ask the engine to stop at its next safe point; close once its thread has ended (see ui.closing)."""
        if not self._closing:
            self._closing = True
            self.write_settings()
            self._redraw_timer.stop()
            self.training_plots_dock.finish()
            if not self._handed_over:
                self.engine.request_stop()
        if self._handed_over or engine_stopped(self):
            super().closeEvent(event)
        else:
            event.ignore()
