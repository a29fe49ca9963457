"""A run in slices equals one straight run; the NaN guard, resuming after it, schedules and devices."""

import math
from dataclasses import replace

import pytest
import torch

from explorer.core.data.datasets import load_dataset
from explorer.core.models import build_model
from explorer.core.training.schedule import BudgetSchedule, EverySchedule, Schedule
from explorer.core.session import SessionConfig, StepSession
from explorer.core.training.loop import TrainConfig, data_on, train
from explorer.core.training.run import TrainingRun


@pytest.fixture(scope="module")
def digits():
    return load_dataset("digits")


def test_a_run_taken_in_slices_equals_one_straight_run(digits):
    config = TrainConfig(optimizer="adam", lr=1e-3, batch_size=8, steps=9, seed=2)
    straight = [m.loss for m in train(build_model("seed", 0), digits, config)]
    run = TrainingRun(build_model("seed", 0), digits, config, schedule=Schedule(), diagnostics=False)
    sliced = []
    for size in (2, 4, 10):  # the last slice asks for more than is left
        for _ in range(size):
            m = run.next()
            if m is not None:
                sliced.append(m.loss)
    assert sliced == pytest.approx(straight, rel=1e-6)
    assert run.finished and run.step == 9 and run.next() is None


def test_after_a_nonfinite_gradient_the_run_goes_on_from_the_last_good_step(digits):
    model = build_model("seed", 0)
    poisoned = {"left": 1}

    def poison_once(grad):
        if poisoned["left"]:
            poisoned["left"] -= 1
            return grad * math.nan
        return grad

    run = TrainingRun(model, digits, TrainConfig(batch_size=8, steps=10), schedule=Schedule(), diagnostics=False)
    assert run.next().step == 1
    model.fc2.bias.register_hook(poison_once)
    before = [p.detach().clone() for p in model.parameters()]
    bad = run.next()
    assert (bad.step, bad.nonfinite, bad.nonfinite_origin) == (2, "fc2.bias", "the gradient of fc2.bias")
    assert all(torch.equal(p, b) for p, b in zip(model.parameters(), before))  # not applied
    assert run.step == 1
    run.set_lr(0.001)
    assert run.optimizer.param_groups[0]["lr"] == 0.001
    again = run.next()
    assert again.step == 2 and again.nonfinite is None and run.step == 2


def test_a_huge_learning_rate_is_caught_and_located():
    run = TrainingRun(build_model("seed", 0), load_dataset("tutorial"),
                      TrainConfig(optimizer="manual-sgd", lr=1e6, batch_size=1, steps=100))
    metrics = [run.next() for _ in range(5)]
    bad = next(m for m in metrics if m.nonfinite is not None)
    assert bad.step < 5 and bad.nonfinite_origin
    assert run.step == bad.step - 1


def test_budget_schedule_keeps_each_work_within_its_share():
    s = BudgetSchedule(stats=0.1, diagnostics=0.05, test=0.01)
    assert s.stats_due(1) and s.diagnostics_due(1)  # the first step always gets both
    s.spent("step", 1.0)
    s.spent("stats", 5.0)  # the first is warm-up: not charged
    s.spent("stats", 0.05)
    assert s.stats_due(2)  # 0.05 <= 0.1 * 1.0
    s.spent("stats", 0.1)
    assert not s.stats_due(3)  # 0.15 > 0.1
    s.spent("step", 1.0)
    assert s.stats_due(4)  # 0.15 <= 0.1 * 2.0
    s.spent("diagnostics", 0.0)
    s.spent("diagnostics", 0.2)
    assert not s.diagnostics_due(5) and s.test_due(5)
    assert s.every("stats") == pytest.approx(2 / 3)


class StatsOnOdd(Schedule):
    def stats_due(self, step):
        return step % 2 == 1


def test_steps_without_statistics_report_none_and_still_catch_a_nonfinite_loss():
    data = load_dataset("tutorial")
    records = list(train(build_model("seed", 0), data, TrainConfig(optimizer="manual-sgd", lr=0.01, steps=4),
                         schedule=StatsOnOdd()))
    assert [len(r.grad_norms) for r in records] == [10, 0, 10, 0]
    records = list(train(build_model("seed", 0), data, TrainConfig(optimizer="manual-sgd", lr=1e6, steps=50),
                         schedule=StatsOnOdd()))
    assert records[-1].nonfinite is not None and len(records) < 50


def test_batch_accuracy_comes_with_the_statistics(digits):
    records = list(train(build_model("seed", 0), digits, TrainConfig(steps=4, batch_size=8), schedule=StatsOnOdd()))
    assert [r.batch_accuracy is not None for r in records] == [True, False, True, False]
    assert [r.loss for r in records] == pytest.approx(
        [r.loss for r in train(build_model("seed", 0), digits, TrainConfig(steps=4, batch_size=8))], rel=1e-6)


def test_epoch_ends_get_test_accuracy_when_the_schedule_says_so(digits):
    few = replace(digits, train_x=digits.train_x[:32], train_y=digits.train_y[:32])
    records = list(train(build_model("seed", 0), few, TrainConfig(batch_size=8, steps=9),
                         schedule=EverySchedule(diagnostics_every=100)))
    tested = [r.step for r in records if r.test_accuracy is not None]
    assert tested == [4, 8, 9]  # two epoch ends (4 batches each) and the last step
    assert [r.train_accuracy is not None for r in records].count(True) == 1  # the whole train set: last step only


def test_the_session_moves_to_a_device_keeping_weights_and_optimizer_state():
    session = StepSession(SessionConfig(dataset="tutorial", optimizer="adam", lr=0.01))
    session.run_forward()
    session.compute_loss()
    session.run_backward()
    session.update()
    weights = {n: p.detach().clone() for n, p in session.model.named_parameters()}
    state = {k: v.clone() for k, v in session.optimizer.state_dict()["state"][0].items() if torch.is_tensor(v)}
    version = session.param_version
    session.to("cpu")
    assert session.device == torch.device("cpu") and session.phase.value == "ready"
    assert session.param_version == version + 1 and session.update_record is None
    for n, p in session.model.named_parameters():
        assert torch.equal(p, weights[n]) and p.device == session.device
    for k, v in session.optimizer.state_dict()["state"][0].items():
        if torch.is_tensor(v):
            assert torch.equal(v, state[k])
    assert session.data.train_x.device == session.device and session.inputs.device == session.device
    session.run_forward()  # and it still steps
    assert session.output.device == session.device


def test_data_on_moves_every_tensor_and_keeps_what_is_missing(digits):
    moved = data_on(load_dataset("tutorial"), "cpu")
    assert moved.test_x is None and moved.train_x.device.type == "cpu"
    assert torch.equal(data_on(digits, torch.device("cpu")).test_y, digits.test_y)
