"""The training loop against a hand-written plain PyTorch loop doing the same steps."""

import math
import threading
from dataclasses import replace

import pytest
import torch
import torch.nn as nn

from explorer.core.data.datasets import load_dataset
from explorer.core.models import build_model
from explorer.core.optim import make_optimizer
from explorer.core.seeding import generator
from explorer.core.training.loop import StepMetrics, TrainConfig, train


@pytest.fixture(scope="module")
def digits():
    return load_dataset("digits")


def plain_pytorch_loop(model, data, optimizer_name, lr, momentum, batch_size, steps, seed):
    """The tutorial's loop written out by hand; batches are slices of one seeded permutation."""
    if optimizer_name == "manual-sgd":
        optimizer = None
    elif optimizer_name == "sgd":
        optimizer = torch.optim.SGD(model.parameters(), lr=lr, momentum=momentum)
    else:
        optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    order = torch.randperm(len(data.train_x), generator=generator(seed))
    losses = []
    for step in range(steps):
        rows = order[step * batch_size : (step + 1) * batch_size]
        model.zero_grad()
        loss = data.loss_fn(model(data.train_x[rows]), data.train_y[rows])
        loss.backward()
        if optimizer is None:
            with torch.no_grad():
                for p in model.parameters():
                    p.sub_(lr * p.grad)  # weight = weight - learning_rate * gradient
        else:
            optimizer.step()
        losses.append(loss.item())
    return losses


@pytest.mark.parametrize("optimizer", ["manual-sgd", "sgd", "adam"])
def test_loop_equals_plain_pytorch(digits, optimizer):
    config = TrainConfig(optimizer=optimizer, lr=0.01, batch_size=4, steps=4, seed=4)
    ours, reference = build_model("seed", 1), build_model("seed", 1)
    records = list(train(ours, digits, config))
    losses = plain_pytorch_loop(reference, digits, optimizer, 0.01, config.momentum, 4, 4, seed=4)

    assert [r.step for r in records] == [1, 2, 3, 4]
    assert [r.loss for r in records] == pytest.approx(losses, rel=1e-6)
    for (name, p), q in zip(ours.named_parameters(), reference.parameters()):
        torch.testing.assert_close(p, q, msg=name)
        torch.testing.assert_close(p.grad, q.grad, msg=f"{name}.grad")  # the last step's gradients


def test_loop_equals_plain_pytorch_on_the_tutorial():
    data = load_dataset("tutorial", seed=2)
    ours, reference = build_model("seed", 0), build_model("seed", 0)
    records = list(train(ours, data, TrainConfig(optimizer="manual-sgd", lr=0.01, steps=5)))
    losses = plain_pytorch_loop(reference, data, "manual-sgd", 0.01, 0.0, 1, 1, seed=0)
    for _ in range(4):  # one sample: every step sees the same batch
        losses += plain_pytorch_loop(reference, data, "manual-sgd", 0.01, 0.0, 1, 1, seed=0)
    assert [r.loss for r in records] == pytest.approx(losses, rel=1e-6)
    assert all(r.batch_accuracy is None and r.test_accuracy is None for r in records)
    for p, q in zip(ours.parameters(), reference.parameters()):
        torch.testing.assert_close(p, q)


def test_grad_norms_are_per_tensor_vector_norms_in_parameter_order(digits):
    model = build_model("seed", 0)
    *_, last = train(model, digits, TrainConfig(steps=3, batch_size=8))
    expected = [torch.linalg.vector_norm(p.grad).item() for _, p in model.named_parameters()]
    assert len(last.grad_norms) == 10
    assert list(last.grad_norms) == pytest.approx(expected, rel=1e-6)


def test_batch_accuracy_counts_the_batch(digits):
    model = build_model("seed", 0)
    first = next(train(model, digits, TrainConfig(steps=1, batch_size=64, optimizer="manual-sgd", lr=1e-9)))
    rows = torch.randperm(len(digits.train_x), generator=generator(0))[:64]
    with torch.no_grad():  # lr 1e-9 leaves the weights where they were for this forward
        predicted = model(digits.train_x[rows]).argmax(dim=1)
    assert first.batch_accuracy == pytest.approx((predicted == digits.train_y[rows]).float().mean().item())


def test_same_seed_same_losses_other_seed_other_losses(digits):
    def losses(seed):
        config = TrainConfig(steps=4, batch_size=8, seed=seed)
        return [r.loss for r in train(build_model("seed", 0), digits, config)]

    assert losses(3) == losses(3)
    assert losses(3) != losses(4)


def test_accuracies_are_measured_on_eval_steps_and_the_last(digits):
    model = build_model("seed", 0)
    records = list(train(model, digits, TrainConfig(steps=5, batch_size=8, eval_every=2)))
    evaluated = [r.step for r in records if r.test_accuracy is not None]
    assert evaluated == [2, 4, 5]
    assert all((r.train_accuracy is None) == (r.test_accuracy is None) for r in records)
    assert records[-1].train_accuracy == pytest.approx(
        (model.eval()(digits.train_x).argmax(1) == digits.train_y).float().mean().item()
    )


def test_a_huge_learning_rate_is_reported_and_stops():
    model = build_model("seed", 0)
    records = list(train(model, load_dataset("tutorial"), TrainConfig(optimizer="manual-sgd", lr=1e6, steps=50)))
    last = records[-1]
    assert last.nonfinite is not None and len(records) < 50
    assert all(r.nonfinite is None for r in records[:-1])
    names = {"loss", *(name for name, _ in model.named_parameters())}
    assert last.nonfinite in names


def test_a_nonfinite_gradient_names_its_parameter_and_is_not_applied(digits):
    model = build_model("seed", 0)
    model.fc2.weight.register_hook(lambda grad: grad * math.nan)
    before = {name: p.detach().clone() for name, p in model.named_parameters()}
    records = list(train(model, digits, TrainConfig(steps=10, batch_size=8)))
    assert len(records) == 1 and records[0].nonfinite == "fc2.weight"
    assert math.isfinite(records[0].loss)
    for name, p in model.named_parameters():
        assert torch.equal(p, before[name]), name


def test_stop_event_stops_between_steps(digits):
    stop = threading.Event()
    records = []
    for metrics in train(build_model("seed", 0), digits, TrainConfig(steps=100, batch_size=8), stop=stop):
        records.append(metrics)
        if metrics.step == 3:
            stop.set()
    assert [r.step for r in records] == [1, 2, 3]
    assert list(train(build_model("seed", 0), digits, TrainConfig(steps=100), stop=stop)) == []


def test_resuming_with_the_optimizer_continues_the_same_run(digits):
    few = replace(digits, train_x=digits.train_x[:40], train_y=digits.train_y[:40])
    config = TrainConfig(optimizer="adam", lr=1e-3, steps=6, batch_size=16)  # 2 batches per epoch
    straight = build_model("seed", 0)
    straight_losses = [r.loss for r in train(straight, few, config)]

    resumed = build_model("seed", 0)
    optimizer = make_optimizer("adam", resumed.parameters(), lr=1e-3)
    first = [r.loss for r in train(resumed, few, replace(config, steps=3), optimizer)]
    rest = list(train(resumed, few, config, optimizer, start_step=3))
    assert [r.step for r in rest] == [4, 5, 6] and [r.epoch for r in rest] == [2, 2, 3]
    assert first + [r.loss for r in rest] == pytest.approx(straight_losses, rel=1e-6)
    for p, q in zip(resumed.parameters(), straight.parameters()):
        torch.testing.assert_close(p, q)


def test_a_short_digits_run_learns(digits):
    model = build_model("seed", 0)
    *_, last = train(model, digits, TrainConfig(optimizer="adam", lr=1e-3, batch_size=16, steps=60))
    assert last.test_accuracy > 0.6  # chance is 0.1; this run reaches about 0.9
    assert last.train_accuracy > 0.6


@pytest.mark.parametrize(
    "bad, message",
    [
        ({"optimizer": "rmsprop"}, "unknown optimizer"),
        ({"lr": -1.0}, "positive"),
        ({"lr": math.nan}, "positive"),
        ({"batch_size": 0}, "batch size"),
        ({"steps": -1}, "negative"),
    ],
)
def test_config_rejects_bad_values(bad, message):
    with pytest.raises(ValueError, match=message):
        TrainConfig(**bad)


def test_step_metrics_repr_is_short():
    metrics = StepMetrics(7, 0, 0.25, 0.5, (1.0, 3.0), test_accuracy=0.9)
    assert repr(metrics) == (
        "StepMetrics(step=7, epoch=0, loss=0.25, batch_accuracy=0.5000, test_accuracy=0.9000, max_grad_norm=3)"
    )


def test_a_model_without_gradient_for_some_parameter_reports_zero(digits):
    model = build_model("seed", 0)
    model.unused = nn.Linear(2, 2)  # never called in forward, so its grads stay None
    *_, last = train(model, digits, TrainConfig(steps=2, batch_size=8))
    names = [name for name, _ in model.named_parameters()]
    assert last.grad_norms[names.index("unused.weight")] == 0.0 and last.nonfinite is None
