"""The live plots hold exactly what the core reported, learning shows in them, and long runs stay bounded."""

import math

import numpy as np

from explorer.core.data.datasets import accuracy
from explorer.core.training.diagnostics import Diagnostics, Histogram
from explorer.core.training.loop import StepMetrics
from explorer.core.training.messages import TrainingUpdate
from explorer.ui.training.plots import SMOOTHING, TrainingPlotsDock

from .training_helpers import training_window, trigger  # noqa: F401 (fixture)


def collect_updates(window):
    updates = []
    window.engine.engine.training_update.connect(updates.append)
    return updates


def debiased_ema(values, w):
    out, average, count = [], 0.0, 0
    for v in values:
        if math.isfinite(v):
            average, count = average * w + (1 - w) * v, count + 1
        out.append(average / (1 - w**count) if count else math.nan)
    return out


def test_the_plots_hold_exactly_the_metrics_the_core_reported(qtbot, training_window):
    window = training_window("digits", optimizer="sgd", lr=0.02, batch_size=8, length=150)
    updates = collect_updates(window)
    trigger(qtbot, window, "train", "idle", timeout=120_000)
    plots = window.training_plots_dock
    plots.redraw()
    metrics = [m for u in updates for m in u.metrics]
    assert [m.step for m in metrics] == list(range(1, 151))

    loss = plots.loss_plot
    np.testing.assert_array_equal(loss.buffer.x, [m.step for m in metrics])
    np.testing.assert_array_equal(loss.buffer.y[:, 0], [m.loss for m in metrics])
    np.testing.assert_allclose(loss.buffer.y[:, 1], debiased_ema([m.loss for m in metrics], SMOOTHING), rtol=1e-12)
    drawn_x, drawn_y = loss.curves[0].getData()
    shown = 10 ** drawn_y if loss.log_y else drawn_y  # pyqtgraph hands back log10 values on a log axis
    np.testing.assert_allclose(shown, [m.loss for m in metrics], rtol=1e-12)  # what is on screen, too

    normed = [m for m in metrics if m.grad_norms]
    assert normed and normed[0].step == 1
    np.testing.assert_array_equal(plots.norm_plot.buffer.x, [m.step for m in normed])
    np.testing.assert_array_equal(plots.norm_plot.buffer.y, [m.grad_norms for m in normed])

    sampled = [m.diagnostics for m in metrics if m.diagnostics is not None]
    assert sampled and sampled[0].step == 1
    np.testing.assert_array_equal(plots.ratio_plot.buffer.x, [d.step for d in sampled])
    np.testing.assert_allclose(plots.ratio_plot.buffer.y, [d.update_ratios for d in sampled], rtol=1e-15)
    assert plots.relu_plot.names == ("relu(conv1)", "relu(conv2)", "relu(fc1)", "relu(fc2)")
    np.testing.assert_array_equal(plots.relu_plot.buffer.y, [d.dead_relu for d in sampled])
    history = plots.gradient_histograms.histories["fc1.weight"]
    assert history.steps == [d.step for d in sampled]
    np.testing.assert_array_equal(history.counts[-1], sampled[-1].gradients[4].counts)

    tested = [(m.step, m.test_accuracy) for m in metrics if m.test_accuracy is not None]
    acc = plots.accuracy_plot.buffer
    shown = [(x, y) for x, y in zip(acc.x, acc.y[:, 1]) if not math.isnan(y)]
    assert shown == tested and tested[-1][0] == 150
    epoch_ends = [m.step for m, nxt in zip(metrics, metrics[1:]) if nxt.epoch > m.epoch]  # none in 150 steps of 8
    assert [x for x, y in zip(acc.x, acc.y[:, 0]) if not math.isnan(y)] == [m.step for m in metrics
                                                                           if m.epoch > 0][:len(epoch_ends)]


def test_training_digits_raises_test_accuracy(qtbot, training_window):
    window = training_window("digits", optimizer="adam", lr=0.001, batch_size=16, length=200)
    before = []
    window.engine.engine.task_finished.connect(lambda token, result: before.append(result))
    window.engine.run_task("accuracy", lambda s: accuracy(s.model, s.data.test_x, s.data.test_y))
    qtbot.waitUntil(lambda: bool(before), timeout=10_000)
    updates = collect_updates(window)
    state = trigger(qtbot, window, "train", "idle", timeout=120_000)
    last = updates[-1].metrics[-1]
    assert state.step == 200 and last.step == 200
    assert before[0] < 0.3 and last.test_accuracy > 0.8  # chance is 0.1; this run reaches about 0.95
    assert f"{last.test_accuracy:.1%}" in state.message
    window.training_plots_dock.grab().save("/tmp/shots/training-plots-digits.png")


def test_the_tutorial_loss_falls_toward_zero(qtbot, training_window):
    window = training_window("tutorial", optimizer="manual-sgd", lr=0.003, batch_size=1, length=150)
    updates = collect_updates(window)
    trigger(qtbot, window, "train", "idle", timeout=60_000)
    losses = [m.loss for u in updates for m in u.metrics]
    assert losses[0] > 10 and losses[-1] < 1e-6
    plots = window.training_plots_dock
    assert plots.accuracy_note.isVisible() and not plots.accuracy_plot.legend.isVisible()


def test_a_diverged_loss_is_a_gap_not_a_broken_axis(qtbot, training_window):
    window = training_window("tutorial", optimizer="manual-sgd", lr=10.0, batch_size=1, length=100)
    state = trigger(qtbot, window, "train", "paused")
    plots = window.training_plots_dock
    plots.redraw()
    y = plots.loss_plot.buffer.y[:, 0]
    assert np.isnan(y[-1]) and np.isfinite(y[:-1]).all() and len(y) == state.nonfinite_step
    (x0, x1), (y0, y1) = plots.loss_plot.getPlotItem().getViewBox().viewRange()
    assert all(math.isfinite(v) for v in (x0, x1, y0, y1)) and x1 >= state.nonfinite_step


def fake_metrics(start, n, params=3):
    """Steps as the core would report them, without training anything."""
    rng = np.random.default_rng(start)
    out = []
    for step in range(start, start + n):
        diag = None
        if step % 50 == 0:
            hist = Histogram("w", -1.0, 1.0, np.ones(8, np.float32))
            diag = Diagnostics(step, ("a.weight", "a.bias", "b.weight"), (1e-3, 2e-3, 3e-3), ("relu(a)",), (0.25,),
                               (hist,) * params, (hist,))
        out.append(StepMetrics(step, step // 1000, float(rng.random()), 0.5, tuple(rng.random(params).tolist()),
                               test_accuracy=0.9 if step % 1000 == 0 else None, diagnostics=diag))
    return out


def test_a_long_run_keeps_bounded_plot_memory_and_its_spikes(qtbot):
    dock = TrainingPlotsDock()
    qtbot.addWidget(dock)
    dock.set_param_names(("a.weight", "a.bias", "b.weight"))
    dock.start_run()
    total = 100_000
    for start in range(1, total + 1, 500):
        batch = fake_metrics(start, 500)
        if start == 40_001:
            batch[7] = StepMetrics(40_008, 40, 1000.0, 0.5, (1.0, 1.0, 1.0))  # one spike, long ago at the end
        dock.add_update(TrainingUpdate(tuple(batch), start + 499, total, 1000.0, 1.0))
    dock.finish()
    qtbot.waitUntil(lambda: not dock.pace.catching_up)
    for plot in (dock.loss_plot, dock.norm_plot, dock.ratio_plot, dock.relu_plot, dock.accuracy_plot):
        assert len(plot.buffer) <= plot.capacity
    assert dock.loss_plot.buffer.appended == total and dock.loss_plot.buffer.y[:, 0].max() == 1000.0
    assert dock.loss_plot.buffer.x[-1] == total
    assert len(dock.gradient_histograms.histories["w"]) <= dock.gradient_histograms.histories["w"].capacity
    sampled = total // 50
    assert dock.counts == {"steps": total, "norms": total, "diagnostics": sampled, "update_ratios": sampled,
                           "dead_units": sampled, "gradient_histograms": sampled, "activation_histograms": sampled}


def shown_plots_dock(qtbot) -> TrainingPlotsDock:
    """The Training curves panel on screen, a run of three parameters started."""
    dock = TrainingPlotsDock()
    qtbot.addWidget(dock)
    dock.resize(1100, 600)
    dock.show()
    dock.set_param_names(("a.weight", "a.bias", "b.weight"))
    dock.start_run()
    return dock


def test_zeros_on_a_log_axis_sit_on_the_floor_and_the_step_axis_is_shared(qtbot):
    dock = shown_plots_dock(qtbot)
    batch = fake_metrics(1, 10_000)
    batch = [m if m.step < 100 else StepMetrics(m.step, m.epoch, 0.0, 0.5, (0.0, 0.5, 0.5), diagnostics=m.diagnostics)
             for m in batch]
    batch[2] = StepMetrics(3, 0, 2000.0, 0.5, (1.0, 1.0, 1.0))  # a spike on the third step
    dock.add_update(TrainingUpdate(tuple(batch), 10_000, 10_000, 1000.0, 1.0))
    dock.finish()
    qtbot.waitUntil(lambda: not dock.pace.catching_up)
    norm = dock.norm_plot
    assert norm.zero_note.isVisible()
    marks_x, marks_y = norm.zero_marks.getData()
    assert 0 < len(marks_x) <= 150 and marks_x.min() >= 100  # a.weight's zeros, thinned to a row of marks
    (y0, y1) = norm.getPlotItem().getViewBox().viewRange()[1]
    assert y0 <= marks_y[0] <= y0 + 0.1 * (y1 - y0)  # on the floor of the axis (getData gives log10 values)
    assert dock.loss_plot.log_y  # a loss from 2,000 down to 0.x (and then 0) spans two decades
    ranges = {round(p.getPlotItem().getViewBox().viewRange()[0][1]) for p in dock.plots}
    ranges |= {round(h.plot.getPlotItem().getViewBox().viewRange()[0][1])
               for h in (dock.gradient_histograms, dock.activation_histograms)}
    assert len(ranges) == 1  # one step axis for every panel


def test_a_pause_draws_its_plots_one_per_turn_of_the_event_loop(qtbot):
    """All seven at once held the GUI thread 75-150 ms; one at a time, the window answers in between."""
    dock = shown_plots_dock(qtbot)
    dock.add_update(TrainingUpdate(tuple(fake_metrics(1, 2_000)), 2_000, 2_000, 1000.0, 1.0))
    drawn = []
    for item in dock.pace.drawables:
        item.redraw = (lambda original, item: lambda x_end: (drawn.append(item), original(x_end)))(item.redraw, item)
    dock.finish()
    assert len(drawn) == 1 and dock.pace.catching_up  # the first now, the rest on later turns
    qtbot.waitUntil(lambda: not dock.pace.catching_up)
    assert set(drawn) == set(dock.pace.drawables)  # every plot had new rows: each drawn once
    assert len(drawn) == len(dock.pace.drawables)
    assert not any(item.needs_redraw(dock._x_end()) for item in dock.pace.drawables)


def test_the_dead_relu_axis_spans_a_fraction(qtbot):
    """A fraction of units: the value axis runs 0 to 1 (a hair above for the top line), not to 1.3."""
    dock = shown_plots_dock(qtbot)
    dock.add_update(TrainingUpdate(tuple(fake_metrics(1, 200)), 200, 1000, 1000.0, 1.0))
    dock.redraw()
    _, (y0, y1) = dock.relu_plot.getPlotItem().getViewBox().viewRange()
    assert -0.03 <= y0 <= 0.0 and 1.0 <= y1 <= 1.05


def test_a_legend_fits_its_plot_however_narrow(qtbot, tmp_path):
    """Two columns where they fit; one in a narrow plot (the Dead ReLU plot at 1280x720 cut its first column)."""
    import pyqtgraph as pg

    from explorer.ui.training.curve_plot import CurvePlot

    relus = ["relu(conv1)", "relu(conv2)", "relu(fc1)", "relu(fc2)"]
    accuracy = ["train (epoch mean)", "test"]  # one column at 260 px kept its two-column width (pyqtgraph's sizing)
    for names, corner, width, columns in ((relus, "top right", 900, 2), (relus, "top right", 250, 1),
                                          (accuracy, "bottom right", 900, 2), (accuracy, "bottom right", 260, 1)):
        plot = CurvePlot("Dead ReLU units", "fraction dead", legend=corner, fixed_y=(0.0, 1.02))
        qtbot.addWidget(plot)
        plot.set_series(names, [pg.mkPen(c) for c in ("b", "r", "g", "m")[: len(names)]])
        plot.resize(width, 300)
        plot.show()
        qtbot.waitUntil(lambda: plot.legend.columnCount == columns)
        qtbot.wait(100)  # the layout settles
        box = plot.getPlotItem().getViewBox()
        legend = plot.legend.mapRectToItem(box, plot.legend.boundingRect())
        assert legend.left() >= 0 and legend.right() <= box.width() + 1, (width, legend, box.width())
        plot.grab().save(str(tmp_path / f"legend-{len(names)}-{width}.png"))


def test_redraws_reuse_their_symbols(qtbot):
    """pyqtgraph's symbol atlas keys a symbol by its pen and brush objects: marks drawn with a new QBrush (or a
    None pen, made into a new QPen) on every redraw were rendered again each time and grew the atlas without end."""
    dock = shown_plots_dock(qtbot)
    step = 1
    for _ in range(30):
        batch = [StepMetrics(s, 0, 0.5, 0.5, (0.0, 0.5, 0.0 if s % 3 else 1.0)) for s in range(step, step + 20)]
        step += 20
        dock.add_update(TrainingUpdate(tuple(batch), step - 1, 10_000, 1000.0, 1.0))
        dock.norm_plot.redraw(dock._x_end())
    norm = dock.norm_plot
    assert norm.zero_note.isVisible() and len(norm.zero_marks.getData()[0]) > 0
    assert len(norm.zero_marks.scatter.fragmentAtlas) <= len(norm.curves)  # one triangle per colour, not per redraw
    assert all(len(curve.scatter.fragmentAtlas) <= 4 for curve in norm.curves)


def test_the_drawing_timer_rests_while_no_plot_is_on_screen(qtbot):
    """A closed panel costs the training no ticks; opened again while the run goes on, it draws again."""
    dock = shown_plots_dock(qtbot)
    dock.add_update(TrainingUpdate(tuple(fake_metrics(1, 200)), 200, 10_000, 1000.0, 1.0))
    timer = dock.pace._timer
    assert timer.isActive()
    dock.close()
    qtbot.waitUntil(lambda: not timer.isActive(), timeout=3000)  # its next tick found nothing to draw
    dock.add_update(TrainingUpdate(tuple(fake_metrics(201, 200)), 400, 10_000, 1000.0, 1.0))
    assert not timer.isActive()  # new rows are kept, nothing ticks
    dock.show()
    qtbot.waitUntil(timer.isActive, timeout=3000)
    assert dock.loss_plot.buffer.x[-1] == 400 and not dock.loss_plot.needs_redraw(dock._x_end())
