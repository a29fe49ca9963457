"""The NaN guard reports only what is really non-finite, and the same run pauses at the same step with the same
message, however the time-budgeted schedule happened to sample its statistics."""

import math

import torch
import torch.nn as nn

from explorer.core.data.datasets import DataSituation
from explorer.core.session import SessionConfig, StepSession
from explorer.core.training.loop import TrainConfig, safe_norms, train
from explorer.core.training.run import TrainingRun
from explorer.core.training.schedule import BudgetSchedule, Schedule


class NoStatistics(Schedule):
    """The other extreme of what a time budget may pick: no step measures its gradients."""

    def stats_due(self, step: int) -> bool:
        return False


def test_a_finite_gradient_whose_float32_norm_overflows_keeps_a_finite_norm():
    grad = torch.full((100,), 4.9e28)  # every value finite; the sum of squares (2.4e59) is not, in float32
    assert not math.isfinite(torch._foreach_norm([grad])[0].item())
    (norm,) = safe_norms([math.inf], [grad])
    assert math.isclose(norm, 4.9e29, rel_tol=1e-6)
    bad = grad.clone()
    bad[3] = math.inf
    assert safe_norms([math.inf], [bad]) == (math.inf,)
    bad[3] = math.nan
    assert math.isnan(safe_norms([math.nan], [bad])[0])


class Scaled(nn.Module):
    """A loss of 1e20 x the output: the weight's gradient is about 1.5e20 per value, finite, and its float32
    norm overflows (the squares pass 3.4e38)."""

    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(1000, 1)

    def forward(self, x):
        return self.fc(x)


def test_training_does_not_call_an_overflowing_finite_norm_nan():
    torch.manual_seed(0)
    x = torch.rand(8, 1000) + 1.0
    data = DataSituation("scaled", "regression", x, torch.zeros(8, 1), None, None,
                         lambda out, y: (out * 1e20).mean(), (), (1000,))
    model = Scaled()
    (metrics,) = list(train(model, data, TrainConfig(optimizer="sgd", lr=1e-30, batch_size=8, steps=1)))
    assert math.isfinite(metrics.loss)
    assert metrics.nonfinite is None, metrics.nonfinite_origin
    assert all(math.isfinite(n) for n in metrics.grad_norms)
    assert metrics.grad_norms[0] ** 2 > 3.4e38  # its float32 norm overflowed: computed again in float64
    assert not math.isfinite(torch._foreach_norm([model.fc.weight.grad])[0].item())
    assert torch.isfinite(model.fc.weight).all()


def run_until_the_guard_pauses(schedule: Schedule, seed: int = 0):
    session = StepSession(SessionConfig(dataset="digits", seed=seed))
    run = TrainingRun(session.model, session.data,
                      TrainConfig(optimizer="sgd", lr=10, batch_size=32, steps=50, seed=seed), schedule=schedule)
    while True:
        metrics = run.next()
        if metrics is None or metrics.nonfinite is not None:
            return metrics


def test_the_same_run_pauses_at_the_same_step_with_the_same_message():
    """The issue's run (SGD, lr 10, batch 32, seed 0): it paused at step 5, 6 or 7 naming three different
    origins when a float32 norm overflowed on whichever step the schedule measured."""
    torch.set_num_threads(1)
    outcomes = set()
    for schedule in (Schedule(), NoStatistics(), *(BudgetSchedule() for _ in range(5))):
        metrics = run_until_the_guard_pauses(schedule)
        assert metrics is not None, "the guard never paused"
        outcomes.add((metrics.step, metrics.nonfinite, metrics.nonfinite_origin))
    assert len(outcomes) == 1, outcomes
    ((step, what, origin),) = outcomes
    assert what == "loss" and origin.startswith("the output of ")
