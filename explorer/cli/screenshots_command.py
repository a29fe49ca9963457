"""`explorer screenshots OUTDIR`: render the main window and each panel at meaningful moments into PNGs.

Runs offscreen by default (no screen needed), with settings of its own so a user's layout is not used or
changed.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from explorer.cli import CLIError
from explorer.core.moves import Move


def add_parser(sub) -> None:
    p = sub.add_parser("screenshots", help="render the window and each panel into PNG files (offscreen)")
    p.add_argument("outdir", type=Path, help="folder for the PNG files (created if missing)")
    p.add_argument("--dataset", default="digits", help="data set to step through (default: digits)")
    p.add_argument("--size", default="1600x1000", help="window size WIDTHxHEIGHT (default: 1600x1000)")
    p.add_argument("--onscreen", action="store_true", help="use the real screen instead of offscreen rendering")
    p.add_argument("--lang", default="en", choices=["en", "zh_CN"], help="language of the window (default: en)")
    p.set_defaults(run=run)


def run(args) -> int:
    try:
        width, height = (int(v) for v in args.size.lower().split("x"))
    except ValueError:
        raise CLIError(f"--size {args.size!r}: expected WIDTHxHEIGHT, e.g. 1600x1000") from None
    try:
        args.outdir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CLIError(f"{args.outdir}: cannot create the folder: {exc.strerror}") from None
    if not args.onscreen:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtCore import QSettings

    from explorer.core.session import SessionConfig
    from explorer.ui.app import create_application
    from explorer.ui.main_window import MainWindow
    from explorer.ui.window.driver import WindowDriver

    from explorer.ui.i18n import install_translators

    app = create_application()
    install_translators(app, args.lang)
    with tempfile.TemporaryDirectory() as tmp:
        settings = QSettings(str(Path(tmp) / "screenshots.ini"), QSettings.Format.IniFormat)
        window = MainWindow(SessionConfig(dataset=args.dataset), settings)
        window.resize(width, height)
        window.show()
        try:
            written = take_screenshots(window, WindowDriver(window, timeout_s=300), args.outdir)
        finally:
            window.steps_since_export = 0  # these weights are a picture's: closing must not ask to save them
            window.close()  # also on failure: the engine thread must stop before the process ends
    app.processEvents()
    for path in written:
        print(path)
    return 0


def take_screenshots(window, drive, outdir: Path) -> list[Path]:
    written: list[Path] = []

    def save(widget, name: str) -> None:
        path = outdir / f"{name}.png"
        if not widget.grab().save(str(path)):
            raise CLIError(f"{path}: could not write the PNG")
        written.append(path)

    drive.wait_ready()
    drive.repeat(Move.STEP_FORWARD, 4)  # conv1, relu, max_pool2d, conv2
    drive.inspect("activation", "3")
    save(window, "main-forward-conv2")
    save(window.activations_dock, "activations-forward-conv2")
    save(window.model_dock, "model-forward-conv2")
    drive.move(Move.RUN_FORWARD)
    drive.move(Move.LOSS)
    snapshot = drive.repeat(Move.STEP_BACKWARD, 12)
    drive.inspect("node", snapshot.current_node)
    window.graph_dock.view.fit()
    save(window, "main-backward-step12")
    save(window.graph_dock, "graph-backward-step12")
    save(window.inspector_dock, "inspector-node")
    drive.move(Move.RUN_BACKWARD)
    chain_rule_screenshots(window, drive, save)
    drive.inspect("param", "conv1.bias")
    save(window.inspector_dock, "inspector-conv1-bias-grad")
    drive.inspect("param", "conv1.weight")
    save(window.inspector_dock, "inspector-conv1-weight-grad")
    drive.move(Move.UPDATE)
    drive.inspect("param", "conv1.weight")
    save(window, "main-after-update")
    save(window.inspector_dock, "inspector-after-update")
    tutorial_screenshots(window, drive, save)
    window.tutorial_dock.hide()
    window.engine.reconfigure(dataset="digits")
    drive.wait_until(lambda: window.snapshot.config.get("dataset") == "digits" and window.snapshot.phase == "ready",
                     "the digits session")
    training_screenshots(window, drive, save)
    return written


def chain_rule_screenshots(window, drive, save) -> None:
    """The Inspector's chain rule at fc3's Addmm, conv1's Convolution and the last ReLU, numerically checked."""
    graph = window.snapshot.graph
    done = window.snapshot.backward_done_ids

    def first(cls: str, module: str | None = None) -> str:
        return next(n for n in done if graph.attrs[n]["cls"] == cls and module in (None, graph.attrs[n].get("module")))

    dock = window.inspector_dock
    dock.setFloating(True)  # a size that shows the whole explanation beside the gradients
    dock.resize(1500, 620)
    view = dock.chain_rule_view
    for name, node in (("fc3-addmm", first("AddmmBackward0", "fc3")), ("conv1-convolution", first("ConvolutionBackward0", "conv1")),
                       ("relu", [n for n in done if graph.attrs[n]["cls"] == "ReluBackward0"][-1])):
        drive.inspect("node", node)
        if name == "fc3-addmm":  # dL/dx rather than the default, the bias's one-term sum
            view.pick(len(view.explanation.gradients_in) + 1, (0, 3))
            drive.wait_until(lambda: view.explanation.worked.index == (0, 3), "dL/dx[0, 3] at fc3")
        view.check_button.click()
        drive.wait_until(lambda: view.explanation is not None and view.explanation.numeric is not None,
                         f"the numeric check at {node}")
        save(window.inspector_dock, f"inspector-chain-rule-{name}")
    dock.setFloating(False)


def tutorial_screenshots(window, drive, save) -> None:
    """The guided walk at the tutorial page's conv1.bias.grad after backward."""
    dock = window.tutorial_dock
    window.show_tutorial()
    dock.go(8)  # conv1.bias.grad after backward: the step stops one node short, the reader presses F11
    drive.wait_until(lambda: dock.result_text().startswith("conv1.bias.grad = "), "the tutorial step's result")
    drive.move(Move.STEP_BACKWARD)
    drive.wait_until(lambda: "conv1.bias.grad = [" in dock.result_text(), "conv1.bias.grad written")
    window.graph_dock.raise_()
    window.graph_dock.view.fit()
    save(window, "main-guided-tutorial")
    save(dock, "guided-tutorial")


def training_screenshots(window, drive, save) -> None:
    """Train the digits from the Training panel for 1,500 steps, pause, and picture the live curves."""
    from explorer.core.training.messages import TrainSettings

    states = []
    window.engine.engine.training_state.connect(states.append)
    window.training_dock.set_settings(TrainSettings("sgd", 0.02, 16, 3000, "steps", 0))
    window.training_actions["train"].trigger()
    drive.wait_until(lambda: window.training_plots_dock.counts["steps"] >= 1500, "1,500 training steps")
    window.training_actions["pause"].trigger()
    drive.wait_until(lambda: bool(states) and states[-1].phase == "paused", "the run to pause")
    drive.inspect("param", "fc1.weight")
    plots = window.training_plots_dock
    plots.gradient_histograms.chooser.setCurrentText("fc1.weight")
    plots.activation_histograms.chooser.setCurrentText("relu(fc1)")
    plots.redraw()
    save(window, "main-training-paused")
    save(plots, "training-curves")
    save(window.training_dock, "training-panel")
    window.steps_since_export = 0  # these weights are a picture's: closing must not ask to save them
