"""Training a live model on the user's own batches: the loop takes dict inputs, their loss and optimizer, and
counts an epoch as one pass over their DataLoader."""

import torch
from torch.utils.data import DataLoader

import explorer
from explorer.core.training.loop import TrainConfig
from explorer.core.training.run import TrainingRun
from explorer.core.training.schedule import Schedule
from tests.core.live.test_api import TwoHeads, tokens


def test_a_training_run_draws_the_users_dict_batches_and_steps_their_optimizer():
    torch.manual_seed(0)
    model = TwoHeads()
    items = [{**tokens(n=4, seed=i), "labels": torch.tensor([i % 4, 1, 2, 3])} for i in range(3)]
    loader = DataLoader(items, batch_size=None)  # already batched dicts, as a data collator makes them
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    s = explorer.session(model, data=loader, optimizer=optimizer, output="scores")
    stream = s.source.fresh()
    assert stream.batches_per_epoch == 3
    run = TrainingRun(model, s.source, TrainConfig(steps=6, batch_size=4), Schedule(), stream=stream,
                      optimizer=optimizer, output="scores")  # Schedule(): statistics on every step
    metrics = [run.next() for _ in range(6)]
    assert run.next() is None and run.steps_per_epoch == 3
    assert [m.epoch for m in metrics] == [0, 0, 1, 1, 1, 2]  # the epoch's last batch ends it
    assert all(m.nonfinite is None and m.batch_accuracy is not None for m in metrics)
    assert optimizer.state_dict()["state"] == {} and run.optimizer is optimizer  # plain SGD keeps no state
    assert metrics[-1].loss < metrics[0].loss
