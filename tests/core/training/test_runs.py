"""Kept runs: bounded, renamed, hidden, deleted; saved as plain data in checkpoints and read back; exported
to CSV and to a TensorBoard event file read back with tensorboard's own reader."""

import csv
import math

import numpy as np
import pytest

from explorer.core.checkpoint import load_checkpoint, plain_data_problem
from explorer.core.checkpoint.tasks import export_session
from explorer.core.session import SessionConfig, StepSession
from explorer.core.training.run_export import tensorboard_unavailable_reason, write_csv, write_tensorboard
from explorer.core.training.runs import KEPT_ROWS, RUN_KEY, KeptRun, RunBook, compact, from_plain, to_plain


def a_run(steps=1000, name=""):
    x = np.arange(1, steps + 1, dtype=np.float64)
    loss = np.stack([1 / x, 1 / x**0.5], axis=1)
    loss[10, 0] = 500.0  # a spike
    norms = np.stack([x * 0 + 0.5, np.where(x % 2 == 0, np.nan, 0.25)], axis=1)
    run = KeptRun(name, "seed", "digits", "sgd", {"lr": 0.01, "batch_size": 16}, 0, steps)
    return run.with_curves({"loss": (("per step", "smoothed"), x, loss),
                            "grad_norm": (("fc.weight", "fc.bias"), x, norms)})


def test_a_kept_run_is_bounded_and_keeps_its_spike():
    run = a_run(100_000)
    assert len(run.curves["loss"]) <= KEPT_ROWS
    assert run.curves["loss"].y[:, 0].max() == 500.0 and run.curves["loss"].x[-1] == 100_000
    assert run.nbytes() < 200_000
    x, y = compact(np.arange(10.0), np.arange(10.0).reshape(10, 1), rows=100)
    assert len(x) == 10  # few rows stay as they are


def test_the_run_book_names_renames_hides_and_deletes():
    book = RunBook(max_runs=3)
    first = book.add(a_run())
    second = book.add(a_run(name="adam"))
    third = book.add(a_run(name="adam"))
    assert (first.name, second.name, third.name) == ("run 1", "adam", "adam (2)")
    assert len({r.colour for r in book}) == 3
    book.rename("adam (2)", "adam, lr 1e-4")
    with pytest.raises(ValueError):
        book.rename("run 1", "adam")
    with pytest.raises(ValueError):
        book.rename("run 1", "  ")
    book.set_visible("adam", False)
    assert [r.name for r in book.visible()] == ["run 1", "adam, lr 1e-4"]
    book.delete("run 1")
    assert [r.name for r in book] == ["adam", "adam, lr 1e-4"]
    for _ in range(3):
        book.add(a_run())
    assert len(book) == 3  # the oldest went


def test_a_run_round_trips_through_plain_data():
    run = a_run(name="baseline")
    plain = to_plain(run)
    assert plain_data_problem(plain, "run") is None
    back = from_plain(plain)
    assert (back.name, back.model, back.data, back.optimizer, back.hyperparameters, back.start_step, back.end_step) == \
        ("baseline", "seed", "digits", "sgd", {"lr": 0.01, "batch_size": 16}, 0, 1000)
    for key, curve in run.curves.items():
        assert back.curves[key].names == curve.names
        np.testing.assert_array_equal(back.curves[key].x, curve.x)
        np.testing.assert_array_equal(back.curves[key].y, curve.y)  # NaN where NaN was


@pytest.mark.parametrize("bad", [None, [], {"name": 3}, {**to_plain(a_run()), "end_step": -1},
                                 {**to_plain(a_run()), "curves": {"loss": {"names": ["a"], "x": [1], "y": [[1, 2]]}}},
                                 {**to_plain(a_run()), "curves": {"weights": {}}},
                                 {**to_plain(a_run()), "curves": {"loss": {"names": ["a"], "x": [1], "y": [["x"]]}}}])
def test_a_damaged_run_is_refused_with_a_reason(bad):
    with pytest.raises(ValueError):
        from_plain(bad)


@pytest.mark.parametrize("suffix", [".pt", ".safetensors"])
def test_a_runs_curves_survive_save_and_open(tmp_path, suffix):
    session = StepSession(SessionConfig(dataset="tutorial"))
    run = a_run(name="today")
    path = tmp_path / f"model{suffix}"
    export_session(session, path, curves=to_plain(run))
    back = from_plain(load_checkpoint(path).metadata[RUN_KEY])
    assert back.name == "today"
    np.testing.assert_array_equal(back.curves["loss"].y, run.curves["loss"].y)


def test_csv_holds_every_measured_value(tmp_path):
    run = a_run(50)
    n = write_csv(run, tmp_path / "run.csv")
    with open(tmp_path / "run.csv") as f:
        rows = list(csv.DictReader(f))
    assert n == len(rows) == 50 * 3 + 25  # fc.bias was measured on odd steps only
    spike = next(r for r in rows if r["curve"] == "loss" and r["series"] == "per step" and r["step"] == "11")
    assert float(spike["value"]) == 500.0


@pytest.mark.skipif(tensorboard_unavailable_reason() is not None, reason="tensorboard is not installed")
def test_tensorboard_export_reads_back_with_tensorboards_reader(tmp_path):
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    run = a_run(30)
    write_tensorboard(run, tmp_path / "tb")
    events = EventAccumulator(str(tmp_path / "tb"))
    events.Reload()
    assert set(events.Tags()["scalars"]) == {"loss/per step", "loss/smoothed", "grad_norm/fc.weight", "grad_norm/fc.bias"}
    loss = events.Scalars("loss/per step")
    assert [e.step for e in loss] == list(range(1, 31))
    assert [e.value for e in loss] == pytest.approx(run.curves["loss"].y[:, 0].tolist(), rel=1e-6)
    assert len(events.Scalars("grad_norm/fc.bias")) == 15
    assert not math.isnan(loss[0].value)
