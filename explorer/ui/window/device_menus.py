"""Training > Device and Training > CPU threads: filled once the engine thread has found what this machine
offers (a device it cannot use stays listed, disabled, with the reason in its tooltip)."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMainWindow


class DeviceMenus(QObject):
    def __init__(self, window: QMainWindow, engine, training_menu):
        super().__init__(window)
        self.window, self.engine = window, engine
        self.found: tuple | None = None  # the engine's answer, for a window taking over (language switch)
        self.device_menu = training_menu.addMenu(self.tr("&Device"))
        self.device_menu.setToolTipsVisible(True)  # an unavailable device says why in its tooltip
        self.device_group = QActionGroup(window)
        self.device_actions: dict[str, QAction] = {}
        self.threads_menu = training_menu.addMenu(self.tr("CPU &threads"))
        self.threads_menu.setToolTipsVisible(True)
        self.threads_group = QActionGroup(window)
        self.thread_actions: dict[int, QAction] = {}

    @property
    def actions(self) -> tuple[QAction, ...]:
        return (*self.device_actions.values(), *self.thread_actions.values())

    def set_enabled(self, enabled: bool) -> None:
        for action in self.device_actions.values():
            action.setEnabled(enabled and bool(action.data()))  # data: the device is usable here
        for action in self.thread_actions.values():
            action.setEnabled(enabled)

    def on_devices_found(self, choices, threads, in_use: int) -> None:
        self.found = (choices, threads, in_use)
        for choice in choices:
            action = QAction(choice.label, self.window, checkable=True)
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
            action = QAction(str(n), self.window, checkable=True)
            action.setObjectName(f"action_threads_{n}")
            action.setToolTip(tip)
            action.setChecked(n == in_use)
            action.triggered.connect(lambda checked=False, k=n: self.engine.set_threads(k))
            self.threads_group.addAction(action)
            self.threads_menu.addAction(action)
            self.thread_actions[n] = action

    def on_threads_changed(self, n: int) -> None:
        if n in self.thread_actions:
            self.thread_actions[n].setChecked(True)
        self.window.statusBar().showMessage(self.tr("PyTorch uses {0} CPU thread(s) now").format(n), 4000)

    def on_device_changed(self, device: str) -> None:
        kind = device.split(":")[0]
        if kind in self.device_actions:
            self.device_actions[kind].setChecked(True)
        self.window.statusBar().showMessage(self.tr("The model is on {0} now").format(device), 4000)
