"""The main window: stepping actions, menus, docks and settings around the engine thread.

Snapshots arrive from the engine whenever a move finishes; the window draws the newest at most ~30 times a
second, so a burst of moves never queues a burst of redraws, while a single click is drawn at once.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QInputDialog, QLabel, QMainWindow, QMessageBox, QWidget

from explorer.core.data.datasets import DATASETS
from explorer.core.optim import OPTIMIZERS
from explorer.core.session import SessionConfig
from explorer.core.snapshot import Inspection, ModelInfo, SessionSnapshot
from explorer.core.training.messages import TrainingState, TrainingUpdate
from explorer.ui.actions import create_move_actions, set_enabled_moves, standard_shortcut
from explorer.ui.tensor.activations_dock import ActivationsDock
from explorer.ui.checkpoint.controller import CheckpointController
from explorer.ui.engine.host import EngineHost
from explorer.ui.graph.dock import GraphDock
from explorer.ui.i18n import LANGUAGES, choose_language
from explorer.ui.tensor.inspector_dock import InspectorDock
from explorer.ui.open.controller import ModelDataController
from explorer.ui.model_dock import ModelDock
from explorer.ui.settings import load_session_config, save_session_config
from explorer.ui.status_text import status_text
from explorer.ui.training.actions import create_training_actions, set_enabled_training
from explorer.ui.training.dock import TrainingDock
from explorer.ui.training.plots import TrainingPlotsDock
from explorer.ui.training.settings import load_train_settings, save_train_settings
from explorer.ui.tutorial.dock import TutorialDock, connect_tutorial

SETTINGS_VERSION = 1
REDRAW_INTERVAL_MS = 33  # at most ~30 redraws a second, however fast the engine answers


class MainWindow(QMainWindow):
    snapshot_shown = Signal(object)  # the SessionSnapshot the views have just drawn (tests and benchmarks wait on it)

    def __init__(self, config: SessionConfig | None = None, settings: QSettings | None = None,
                 parent: QWidget | None = None, engine: EngineHost | None = None):
        """engine: an engine thread to take over from another window (a language switch keeps the session)."""
        super().__init__(parent)
        self.setObjectName("MainWindow")
        self.setWindowTitle(self.tr("explorer - watch a network think and learn"))
        self.settings = settings if settings is not None else QSettings()
        self.snapshot: SessionSnapshot | None = None
        self.steps_since_export = 0  # optimizer steps since the weights were last saved (the quit prompt reads it)
        self.training_state = TrainingState("idle")
        self._pending: SessionSnapshot | None = None
        self.engine = engine if engine is not None else EngineHost(self)
        self.engine.setParent(self)
        self._devices: tuple | None = None  # the engine's device and thread choices, for a window taking over
        self._handed_over = False
        self.training_actions = create_training_actions(self, self._on_training_triggered)
        self.create_docks()
        self.create_actions()
        self.create_menus()
        self.create_tool_bars()
        self.create_status_bar()
        self.read_settings()
        self._connect_engine()
        self.checkpoints = CheckpointController(self)
        self.model_data = ModelDataController(self)
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
        connect_tutorial(self.tutorial_dock, self.engine)
        self.tutorial_dock.inspect_requested.connect(lambda *_: self.inspector_dock.raise_())
        self.tutorial_dock.panel_requested.connect(self._on_tutorial_panel_requested)
        self.tutorial_dock.step_started.connect(self._on_tutorial_step_started)
        self.tutorial_dock.nodes_highlighted.connect(self._on_tutorial_nodes_highlighted)

    def create_actions(self) -> None:
        self.move_actions = create_move_actions(self, self._on_move_triggered)
        self.quit_action = QAction(self.tr("&Quit"), self, shortcut=standard_shortcut(QKeySequence.StandardKey.Quit, "Ctrl+Q"),
                                   statusTip=self.tr("Quit explorer"), triggered=self.close)
        self.about_action = QAction(self.tr("&About explorer"), self, triggered=self._on_about_triggered)
        self.tutorial_action = QAction(self.tr("&Guided tutorial"), self, shortcut=QKeySequence("F1"),
                                       triggered=self.show_tutorial,
                                       statusTip=self.tr("Walk through the tutorial page, running each cell in the app"))
        self.language_group = QActionGroup(self)
        self.language_actions: dict[str, QAction] = {}
        current = choose_language(None, self.settings)
        for code, name in LANGUAGES.items():
            a = QAction(name, self, checkable=True, checked=code == current)  # named in itself: anyone finds theirs
            a.setObjectName(f"action_language_{code}")
            a.triggered.connect(lambda checked=False, c=code: self._on_language_triggered(c))
            self.language_group.addAction(a)
            self.language_actions[code] = a
        self.reset_layout_action = QAction(self.tr("Reset &layout"), self, triggered=self.reset_layout,
                                           statusTip=self.tr("Put every panel back where it started"))
        self.dataset_group = QActionGroup(self)
        self.dataset_actions = {}
        labels = {"digits": self.tr("&Digits: 1,797 handwritten 8\u00d78 digits (classification)"),
                  "tutorial": self.tr("&Tutorial: one random 32\u00d732 input, target 1..10 (MSELoss)")}
        for name in DATASETS:
            a = QAction(labels.get(name, name), self, checkable=True)
            a.setObjectName(f"action_dataset_{name}")
            a.triggered.connect(lambda checked=False, n=name: self._reconfigure(dataset=n))
            self.dataset_group.addAction(a)
            self.dataset_actions[name] = a
        self.optimizer_group = QActionGroup(self)
        self.optimizer_actions = {}
        names = {"manual-sgd": self.tr("The tutorial's rule: weight -= lr * gradient"),
                 "sgd": self.tr("SGD with momentum 0.9"), "adam": self.tr("Adam")}
        for name in OPTIMIZERS:
            a = QAction(names[name], self, checkable=True)
            a.setObjectName(f"action_optimizer_{name}")
            a.triggered.connect(lambda checked=False, n=name: self._reconfigure(optimizer=n))
            self.optimizer_group.addAction(a)
            self.optimizer_actions[name] = a
        self.lr_action = QAction(self.tr("&Learning rate..."), self, triggered=self._on_lr_triggered)
        self.batch_action = QAction(self.tr("&Batch size..."), self, triggered=self._on_batch_triggered)
        self.seed_action = QAction(self.tr("&Seed..."), self, triggered=self._on_seed_triggered)
        self.train_mode_action = QAction(self.tr("Train &mode (dropout on, batch norm uses the batch)"), self,
                                         checkable=True, checked=True, objectName="action_train_mode",
                                         statusTip=self.tr("Off: eval mode, as model.eval() sets it"))
        self.train_mode_action.triggered.connect(self.engine.set_training_mode)

    def create_menus(self) -> None:
        bar = self.menuBar()
        self.file_menu = bar.addMenu(self.tr("&File"))
        self.file_menu.addAction(self.quit_action)
        step_menu = bar.addMenu(self.tr("&Step"))
        for name, action in self.move_actions.items():
            step_menu.addAction(action)
            if name in ("compute_loss", "backward_from_output", "update"):
                step_menu.addSeparator()
        data_menu = bar.addMenu(self.tr("&Data"))
        data_menu.addActions(list(self.dataset_actions.values()))
        data_menu.addSeparator()
        data_menu.addAction(self.batch_action)
        data_menu.addAction(self.seed_action)
        optim_menu = bar.addMenu(self.tr("&Optimizer"))
        optim_menu.addActions(list(self.optimizer_actions.values()))
        optim_menu.addSeparator()
        optim_menu.addAction(self.lr_action)
        training_menu = bar.addMenu(self.tr("&Training"))
        training_menu.addActions(list(self.training_actions.values()))
        training_menu.addSeparator()
        training_menu.addAction(self.train_mode_action)
        self.device_menu = training_menu.addMenu(self.tr("&Device"))
        self.device_menu.setToolTipsVisible(True)  # an unavailable device says why in its tooltip
        self.device_group = QActionGroup(self)
        self.device_actions: dict[str, QAction] = {}
        self.threads_menu = training_menu.addMenu(self.tr("CPU &threads"))
        self.threads_menu.setToolTipsVisible(True)
        self.threads_group = QActionGroup(self)
        self.thread_actions: dict[int, QAction] = {}
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
            if name in ("run_forward", "compute_loss", "backward_from_output", "update"):
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
        self.statusBar().addPermanentWidget(self.step_label, 1)
        self.statusBar().addPermanentWidget(self.config_label)

    def _connect_engine(self) -> None:
        e = self.engine.engine
        e.snapshot_ready.connect(self._on_engine_snapshot_ready)
        e.model_changed.connect(self._on_engine_model_changed)
        e.inspected.connect(self._on_engine_inspected)
        e.failed.connect(self._on_engine_failed)
        e.training_update.connect(self._on_engine_training_update)
        e.training_state.connect(self._on_engine_training_state)
        e.devices_found.connect(self._on_engine_devices_found)
        e.device_changed.connect(self._on_engine_device_changed)
        e.threads_changed.connect(self._on_engine_threads_changed)
        self.engine.inspect_asked.connect(self.inspector_dock.expect)

    # ----- settings ----------------------------------------------------------------------------------
    def read_settings(self) -> None:
        s = self.settings
        version = int(s.value("settings_version", 0) or 0)
        if version > SETTINGS_VERSION:
            return  # written by a newer explorer: keep our defaults rather than misread its layout
        s.beginGroup("MainWindow")
        geometry, state = s.value("geometry"), s.value("state")
        s.endGroup()
        self._default_state = self.saveState()
        self.training_dock.set_settings(load_train_settings(s))
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(1440, 900)
        self._sized = False
        self._layout_restored = state is not None and self.restoreState(state)

    def write_settings(self) -> None:
        s = self.settings
        s.setValue("settings_version", SETTINGS_VERSION)
        s.beginGroup("MainWindow")
        s.setValue("geometry", self.saveGeometry())
        s.setValue("state", self.saveState())
        s.endGroup()
        if self.engine.config is not None:
            save_session_config(s, self.engine.config)
        save_train_settings(s, self.training_dock.settings())
        s.sync()

    def reset_layout(self) -> None:
        for dock in self.docks + self.training_docks:
            dock.show()
        self.restoreState(self._default_state)
        self._apply_default_sizes()

    def _apply_default_sizes(self) -> None:
        """Dock proportions need the window's real size, so they are set once it is shown."""
        w, h = max(self.width(), 800), max(self.height(), 600)
        self.resizeDocks([self.model_dock, self.graph_dock], [int(w * 0.3), int(w * 0.7)], Qt.Orientation.Horizontal)
        self.resizeDocks([self.model_dock, self.activations_dock], [int(h * 0.36), int(h * 0.64)], Qt.Orientation.Vertical)
        self.resizeDocks([self.graph_dock, self.inspector_dock], [int(h * 0.64), int(h * 0.36)], Qt.Orientation.Vertical)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not self._layout_restored and not self._sized:
            self._sized = True
            QTimer.singleShot(0, self._apply_default_sizes)

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
        self.step_label.setText(status_text(snapshot))
        c = snapshot.config
        self.config_label.setText(self.tr("{0} | batch {1} | {2}, lr {3}").format(
            c.get("dataset"), c.get("batch_size"), c.get("optimizer"), f"{c.get('lr', 0):g}"))
        for dock in self.docks:
            dock.set_snapshot(snapshot)
        self.snapshot_shown.emit(snapshot)

    def _on_engine_model_changed(self, info: ModelInfo) -> None:
        self.model_dock.set_model_info(info)
        self.inspector_dock.set_model_info(info)
        self.training_plots_dock.set_param_names(info.param_names)
        cfg = self.engine.config
        if cfg is not None:
            self.dataset_actions.get(cfg.dataset, QAction()).setChecked(True)
            self.optimizer_actions.get(cfg.optimizer, QAction()).setChecked(True)

    def _on_engine_inspected(self, inspection: Inspection) -> None:
        self.inspector_dock.set_inspection(inspection)

    def _on_engine_failed(self, message: str) -> None:
        self.statusBar().showMessage(message, 8000)
        self._enable_moves()

    def _enable_moves(self) -> None:
        """The session's legal moves, none while training runs (the engine thread is busy with it)."""
        running = self.training_state.phase == "running"
        legal = self.snapshot.legal_moves if self.snapshot is not None and not running else frozenset()
        set_enabled_moves(self.move_actions, legal)
        for action in (*self.dataset_actions.values(), *self.optimizer_actions.values(), *self.device_actions.values(),
                       *self.thread_actions.values(), self.lr_action, self.batch_action, self.seed_action):
            action.setEnabled(not running and (action not in self.device_actions.values() or action.data()))
        self._enable_for_live_model(running)

    def _enable_for_live_model(self, running: bool) -> None:
        """A user's own model object (explorer.show): explorer's data sets, optimizers and seed would build
        explorer's own model, so they wait until one is opened; training draws the user's own batches."""
        snapshot = self.snapshot
        self.train_mode_action.setEnabled(not running and snapshot is not None)
        if snapshot is None:
            return
        self.train_mode_action.setChecked(snapshot.model_training)
        if snapshot.live:
            for action in (*self.dataset_actions.values(), *self.optimizer_actions.values(), self.lr_action,
                           self.batch_action, self.seed_action):
                action.setEnabled(False)

    # ----- training ----------------------------------------------------------------------------------
    def _on_training_triggered(self, name: str) -> None:
        settings = self.training_dock.settings()
        set_enabled_training(self.training_actions, None)  # until the engine answers
        if name in ("train", "step") and not self.training_state.has_run:
            self.training_plots_dock.start_run()
        if name in ("train", "resume"):
            self.training_plots_dock.raise_()
            self.training_dock.raise_()
        if name == "train":
            self.engine.train(settings)
        elif name == "pause":
            self.engine.pause()
        elif name == "resume":
            self.engine.resume(settings.lr)
        elif name == "stop":
            self.engine.stop()
        elif name == "step":
            self.engine.step_once(settings)

    def _on_engine_training_update(self, update: TrainingUpdate) -> None:
        self.training_plots_dock.add_update(update)
        self.training_dock.set_update(update)
        self.steps_since_export += sum(1 for m in update.metrics if m.nonfinite is None)

    def _on_engine_training_state(self, state: TrainingState) -> None:
        self.training_state = state
        self.training_dock.set_state(state)
        set_enabled_training(self.training_actions, state.phase)
        if state.test_accuracy is not None:
            self.training_plots_dock.add_test_point(state.step, state.test_accuracy)
        if state.phase != "running":
            self.training_plots_dock.finish()
        if state.nonfinite_step is not None:
            self.training_dock.raise_()
            self.statusBar().showMessage(state.message, 15000)
        self._enable_moves()

    def _on_engine_devices_found(self, choices, threads, in_use: int) -> None:
        self._devices = (choices, threads, in_use)
        for choice in choices:
            action = QAction(choice.label, self, checkable=True)
            action.setObjectName(f"action_device_{choice.name}")
            action.setData(choice.available)
            action.setEnabled(choice.available)
            action.setToolTip(choice.reason or self.tr("Train and step on {0}").format(choice.label))
            action.setStatusTip(choice.reason)
            action.setChecked(choice.name == "cpu")
            action.triggered.connect(lambda checked=False, n=choice.name: self.engine.set_device(n))
            self.device_group.addAction(action)
            self.device_menu.addAction(action)
            self.device_actions[choice.name] = action
        tip = self.tr("On a busy or 2-core machine one thread is often several times faster for small models")
        for n in threads:
            action = QAction(str(n), self, checkable=True)
            action.setObjectName(f"action_threads_{n}")
            action.setToolTip(tip)
            action.setChecked(n == in_use)
            action.triggered.connect(lambda checked=False, k=n: self.engine.set_threads(k))
            self.threads_group.addAction(action)
            self.threads_menu.addAction(action)
            self.thread_actions[n] = action
        self._enable_moves()

    def _on_engine_threads_changed(self, n: int) -> None:
        if n in self.thread_actions:
            self.thread_actions[n].setChecked(True)
        self.statusBar().showMessage(self.tr("PyTorch uses {0} CPU thread(s) now").format(n), 4000)

    def _on_engine_device_changed(self, device: str) -> None:
        kind = device.split(":")[0]
        if kind in self.device_actions:
            self.device_actions[kind].setChecked(True)
        self.statusBar().showMessage(self.tr("The model is on {0} now").format(device), 4000)

    # ----- user -> engine ----------------------------------------------------------------------------
    def _on_move_triggered(self, move: str) -> None:
        # Until the engine answers, no second move can be queued behind this one.
        set_enabled_moves(self.move_actions, frozenset())
        self.engine.move(move)

    def _on_view_inspect_requested(self, kind: str, key: str) -> None:
        self.engine.inspect(kind, key)
        self.inspector_dock.raise_()  # in case it is tabbed behind another panel

    def _reconfigure(self, **changes) -> None:
        self.engine.reconfigure(**changes)
        self.statusBar().showMessage(self.tr("New session: {0}").format(
            ", ".join(f"{k} = {v}" for k, v in changes.items())), 4000)

    def _ask_number(self, title: str, label: str, value, lo, hi, decimals: int | None = None):
        if decimals is None:
            number, ok = QInputDialog.getInt(self, title, label, int(value), int(lo), int(hi))
        else:
            number, ok = QInputDialog.getDouble(self, title, label, float(value), lo, hi, decimals)
        return number if ok else None

    def _on_lr_triggered(self) -> None:
        cfg = self.engine.config or SessionConfig()
        lr = self._ask_number(self.tr("Learning rate"), self.tr("Learning rate (a new session starts):"),
                              cfg.lr, 1e-6, 10.0, 6)
        if lr is not None:
            self._reconfigure(lr=lr)

    def _on_batch_triggered(self) -> None:
        cfg = self.engine.config or SessionConfig()
        size = self._ask_number(self.tr("Batch size"), self.tr("Samples per batch (a new session starts):"),
                                cfg.batch_size, 1, 1024)
        if size is not None:
            self._reconfigure(batch_size=size)

    def _on_seed_triggered(self) -> None:
        cfg = self.engine.config or SessionConfig()
        seed = self._ask_number(self.tr("Seed"), self.tr("Seed for weights, data order and random gradients:"),
                                cfg.seed, 0, 2**31 - 1)
        if seed is not None:
            self._reconfigure(seed=seed)

    def _on_about_triggered(self) -> None:
        QMessageBox.about(self, self.tr("About explorer"), self.tr(
            "<b>explorer</b> steps through a PyTorch network's forward and backward passes one layer and one "
            "autograd node at a time, and shows every weight, gradient and activation on the way.<br><br>"
            "It grew out of the PyTorch tutorial \"Neural Networks\" (Chinese edition)."))

    # ----- guided tutorial and language ------------------------------------------------------------------
    def show_tutorial(self) -> None:
        if self.tutorial_dock.isHidden():
            self.tutorial_dock.show()
            self.resizeDocks([self.tutorial_dock], [max(460, self.width() // 4)], Qt.Orientation.Horizontal)
        self.tutorial_dock.raise_()
        if not self.tutorial_dock.started:
            self.tutorial_dock.run_step()  # the first cell, on the page's own data and update rule

    def _on_tutorial_step_started(self) -> None:
        """The engine runs one thing at a time: a running training would hold the step back until it paused."""
        if self.training_state.phase == "running":
            self.engine.pause()
            self.statusBar().showMessage(self.tr("Training paused to run the tutorial's step."), 8000)

    def _on_tutorial_panel_requested(self, name: str) -> None:
        dock = self.findChild(QWidget, name)
        if dock is not None:
            dock.show()
            dock.raise_()

    def _on_tutorial_nodes_highlighted(self, node_ids: list) -> None:
        self.graph_dock.view.select_node(node_ids[-1])
        self.engine.inspect("node", node_ids[-1])

    def _on_language_triggered(self, language: str) -> None:
        from explorer.ui.language_switch import switch_language

        switch_language(self, language)

    def take_over(self, old: "MainWindow") -> None:
        """Become the window of `old`'s engine and session: its layout, state and counters (language switch)."""
        self.restoreGeometry(old.saveGeometry())
        self._layout_restored = self.restoreState(old.saveState())
        self.steps_since_export, old.steps_since_export = old.steps_since_export, 0
        if old._devices is not None:
            self._on_engine_devices_found(*old._devices)
        self._on_engine_training_state(old.training_state)
        self.tutorial_dock.show_step(old.tutorial_dock.index, started=old.tutorial_dock.started)
        # The engine answers a task with a fresh snapshot; the task's result is the model's structure.
        from explorer.core.snapshot import model_info

        def on_finished(token: str, info) -> None:
            if token == "window-taken-over":
                self.engine.engine.task_finished.disconnect(on_finished)
                self._on_engine_model_changed(info)

        self.engine.engine.task_finished.connect(on_finished)
        self.engine.run_task("window-taken-over", model_info)
        old.hand_over()

    def hand_over(self) -> None:
        """Close without stopping the engine: another window has taken it over."""
        self._handed_over = True
        self.close()

    # ----- closing -----------------------------------------------------------------------------------
    def closeEvent(self, event) -> None:
        self.write_settings()
        self._redraw_timer.stop()
        self.training_plots_dock.finish()
        if not self._handed_over:
            self.engine.shutdown()
        super().closeEvent(event)

