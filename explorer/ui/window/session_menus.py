"""The Data and Optimizer menus: which data set, batch size, seed, optimizer and learning rate the stepping
session uses. Each choice starts a new session on the engine thread (weights from the seed, first batch)."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QInputDialog, QMainWindow

from explorer.core.config_rules import LR_RANGE, SEED_RANGE, SESSION_BATCH_RANGE
from explorer.core.data.datasets import DATASETS
from explorer.core.optim import OPTIMIZERS
from explorer.core.session import SessionConfig


class SessionMenus(QObject):
    def __init__(self, window: QMainWindow, engine):
        super().__init__(window)
        self.window, self.engine = window, engine
        self.dataset_group = QActionGroup(window)
        self.dataset_actions: dict[str, QAction] = {}
        labels = {"digits": self.tr("&Digits: 1,797 handwritten 8\u00d78 digits (classification)"),
                  "tutorial": self.tr("&Tutorial: one random 32\u00d732 input, target 1..10 (MSELoss)")}
        for name in DATASETS:
            a = QAction(labels.get(name, name), window, checkable=True)
            a.setObjectName(f"action_dataset_{name}")
            a.triggered.connect(lambda checked=False, n=name: self.reconfigure(dataset=n))
            self.dataset_group.addAction(a)
            self.dataset_actions[name] = a
        self.optimizer_group = QActionGroup(window)
        self.optimizer_actions: dict[str, QAction] = {}
        names = {"manual-sgd": self.tr("The tutorial's rule: weight -= lr * gradient"),
                 "sgd": self.tr("SGD with momentum 0.9"), "adam": self.tr("Adam")}
        for name in OPTIMIZERS:
            a = QAction(names[name], window, checkable=True)
            a.setObjectName(f"action_optimizer_{name}")
            a.triggered.connect(lambda checked=False, n=name: self.reconfigure(optimizer=n))
            self.optimizer_group.addAction(a)
            self.optimizer_actions[name] = a
        self.lr_action = QAction(self.tr("&Learning rate..."), window, triggered=self._on_lr_triggered)
        self.batch_action = QAction(self.tr("&Batch size..."), window, triggered=self._on_batch_triggered)
        self.seed_action = QAction(self.tr("&Seed..."), window, triggered=self._on_seed_triggered)

    def fill(self, data_menu, optimizer_menu) -> None:
        data_menu.addActions(list(self.dataset_actions.values()))
        data_menu.addSeparator()
        data_menu.addAction(self.batch_action)
        data_menu.addAction(self.seed_action)
        optimizer_menu.addActions(list(self.optimizer_actions.values()))
        optimizer_menu.addSeparator()
        optimizer_menu.addAction(self.lr_action)

    @property
    def actions(self) -> tuple[QAction, ...]:
        return (*self.dataset_actions.values(), *self.optimizer_actions.values(),
                self.lr_action, self.batch_action, self.seed_action)

    def set_enabled(self, enabled: bool) -> None:
        """Off while training runs, and while a user's own model object is open (explorer.show): these menus
        build explorer's own models and data sets, which would replace it."""
        for action in self.actions:
            action.setEnabled(enabled)

    def show_config(self, config: SessionConfig | None) -> None:
        """Check the data set and optimizer the session runs with."""
        if config is not None:
            self.dataset_actions.get(config.dataset, QAction()).setChecked(True)
            self.optimizer_actions.get(config.optimizer, QAction()).setChecked(True)

    def reconfigure(self, **changes) -> None:
        self.engine.reconfigure(**changes)
        self.window.statusBar().showMessage(self.tr("New session: {0}").format(
            ", ".join(f"{k} = {v}" for k, v in changes.items())), 4000)

    def _ask_number(self, title: str, label: str, value, lo, hi, decimals: int | None = None):
        if decimals is None:
            number, ok = QInputDialog.getInt(self.window, title, label, int(value), int(lo), int(hi))
        else:
            number, ok = QInputDialog.getDouble(self.window, title, label, float(value), lo, hi, decimals)
        return number if ok else None

    def _on_lr_triggered(self) -> None:
        cfg = self.engine.config or SessionConfig()
        lr = self._ask_number(self.tr("Learning rate"), self.tr("Learning rate (a new session starts):"),
                              cfg.lr, *LR_RANGE, 6)
        if lr is not None:
            self.reconfigure(lr=lr)

    def _on_batch_triggered(self) -> None:
        cfg = self.engine.config or SessionConfig()
        size = self._ask_number(self.tr("Batch size"), self.tr("Samples per batch (a new session starts):"),
                                cfg.batch_size, *SESSION_BATCH_RANGE)
        if size is not None:
            self.reconfigure(batch_size=size)

    def _on_seed_triggered(self) -> None:
        cfg = self.engine.config or SessionConfig()
        seed = self._ask_number(self.tr("Seed"), self.tr("Seed for weights, data order and random gradients:"),
                                cfg.seed, *SEED_RANGE)
        if seed is not None:
            self.reconfigure(seed=seed)
