"""Training > Train mode: the mode the moves step in (dropout, batch norm's batch or running statistics). A model
opened with File > Open model starts in the mode chosen there (SessionConfig.eval_mode), and the session and the
host's config keep a switch made here; a user's own model (explorer.show) comes in the mode they left it in. The
check mark follows the engine's snapshot, so a refused switch (batch norm at one sample) shows as not made."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction


class TrainModeAction(QObject):
    def __init__(self, window, engine):
        super().__init__(window)
        self.action = QAction(self.tr("Train &mode (dropout on, batch norm uses the batch)"), window,
                              checkable=True, checked=True, objectName="action_train_mode",
                              statusTip=self.tr("Off: eval mode, as model.eval() sets it; Train always trains in "
                                                "training mode and gives the model back in this one"))
        self.action.triggered.connect(engine.set_training_mode)

    def show(self, snapshot, running: bool) -> None:
        self.action.setEnabled(snapshot is not None and not running)
        if snapshot is not None:
            self.action.setChecked(snapshot.model_training)
