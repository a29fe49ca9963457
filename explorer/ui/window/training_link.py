"""The training actions (Train, Pause, Resume, Stop, One step) in the window: the panel's settings go to the
engine thread, and a new run starts its curves with what it trains (for the runs the curves panel keeps)."""

from __future__ import annotations

from explorer.core.session import SessionConfig
from explorer.ui.training.actions import set_enabled_training


class TrainingLink:
    def __init__(self, window):
        self.window = window

    def trigger(self, name: str) -> None:
        w = self.window
        settings = w.training_dock.settings()
        set_enabled_training(w.training_actions, None)  # until the engine answers
        if name in ("train", "step") and not w.training_state.has_run:
            w.training_plots_dock.start_run(self._run_info(settings))
        if name in ("train", "resume"):
            w.training_plots_dock.raise_()
            w.training_dock.raise_()
        if name == "train":
            w.engine.train(settings)
        elif name == "pause":
            w.engine.pause()
        elif name == "resume":
            w.engine.resume(settings.lr)
        elif name == "stop":
            w.engine.stop()
        elif name == "step":
            w.engine.step_once(settings)

    def _run_info(self, settings) -> dict:
        config = self.window.engine.config or SessionConfig()
        return {"model": config.model, "data": config.dataset, "optimizer": settings.optimizer,
                "hyperparameters": {"lr": settings.lr, "batch_size": settings.batch_size, "seed": settings.seed,
                                    "length": settings.length, "unit": settings.unit}}
