"""`explorer train`: train a model headless and save a checkpoint.

Every argument is checked before the first step, so a typo costs seconds, not a training run.
"""

from __future__ import annotations

import argparse
import math
import tempfile
from dataclasses import asdict
from pathlib import Path

import torch

from explorer.cli import CLIError
from explorer.cli.progress import ProgressBar
from explorer.core.datasets import DATASETS, DatasetError, DataSituation, load_dataset
from explorer.core.models import ModelSpecError, build_model
from explorer.core.optim import OPTIMIZERS, make_optimizer
from explorer.core.training import StepMetrics, TrainConfig, train

DEFAULTS = TrainConfig()


def add_parser(subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "train",
        help="train a model and save a checkpoint",
        description="Train a model headless and save a checkpoint (.pt or .safetensors, by suffix).",
    )
    parser.add_argument("--model", default="seed", help="'seed' (the tutorial's Net) or FILE.py:ClassName")
    parser.add_argument(
        "--dataset", default="digits", help=f"one of {', '.join(DATASETS)} (default: %(default)s)"
    )
    parser.add_argument("--steps", type=int, default=DEFAULTS.steps, help="default: %(default)s")
    parser.add_argument("--batch-size", type=int, default=DEFAULTS.batch_size, help="default: %(default)s")
    parser.add_argument("--lr", type=float, default=DEFAULTS.lr, help="learning rate (default: %(default)s)")
    parser.add_argument("--optimizer", choices=OPTIMIZERS, default=DEFAULTS.optimizer, help="default: %(default)s")
    parser.add_argument("--seed", type=int, default=DEFAULTS.seed, help="weights and batch order (default: %(default)s)")
    parser.add_argument(
        "--threads", type=int, default=None,
        help="CPU threads for PyTorch (default: PyTorch's own choice, one per core); "
        "on a busy machine 1 is often several times faster for small models",
    )
    parser.add_argument("--out", required=True, type=Path, help="checkpoint to write: PATH.pt or PATH.safetensors")
    parser.set_defaults(run=run_train)
    return parser


def run_train(args: argparse.Namespace) -> int:
    config = _config_from(args)
    _check_out_path(args.out)
    if args.threads is not None:
        if args.threads < 1:
            raise CLIError(f"--threads must be at least 1, got {args.threads}")
        torch.set_num_threads(args.threads)
    data = _load_data(args.dataset, args.seed)
    try:
        model = build_model(args.model, seed=args.seed)
    except ModelSpecError as exc:
        raise CLIError(str(exc)) from None
    _check_model_fits(model, data, args.model)

    optimizer = make_optimizer(config.optimizer, model.parameters(), config.lr, config.momentum)
    last = _train_with_progress(model, optimizer, data, config)
    if last.nonfinite:
        raise CLIError(
            f"training diverged at step {last.step}: {last.nonfinite} became NaN or infinite "
            f"(try a smaller --lr than {config.lr}); nothing was saved"
        )

    print(f"final loss {last.loss:.6g} after {last.step} steps ({last.epoch} epochs)")
    if last.test_accuracy is not None:
        print(f"test accuracy {last.test_accuracy:.2%} on {len(data.test_y)} held-out samples")
    _save(args, model, optimizer, last, config)
    print(f"saved {args.out}")
    return 0


def _config_from(args: argparse.Namespace) -> TrainConfig:
    if not (math.isfinite(args.lr) and args.lr > 0):
        raise CLIError(f"--lr must be a positive number, got {args.lr}")
    if args.steps < 1:
        raise CLIError(f"--steps must be at least 1, got {args.steps}")
    if args.batch_size < 1:
        raise CLIError(f"--batch-size must be at least 1, got {args.batch_size}")
    return TrainConfig(
        optimizer=args.optimizer, lr=args.lr, batch_size=args.batch_size, steps=args.steps, seed=args.seed
    )


def _check_out_path(out: Path) -> None:
    from explorer.core.checkpoint import SUFFIXES

    if out.suffix not in SUFFIXES:
        raise CLIError(f"--out {out}: the name must end in {' or '.join(SUFFIXES)}")
    if out.is_dir():
        raise CLIError(f"--out {out}: is a folder; name a file inside it")
    folder = out.parent
    if not folder.is_dir():
        raise CLIError(f"--out {out}: folder {folder} does not exist")
    try:  # os.access says yes to root even on a read-only mount; creating a file is the real test
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as exc:
        raise CLIError(f"--out {out}: cannot write in folder {folder}: {exc.strerror}") from None


def _load_data(name: str, seed: int) -> DataSituation:
    try:
        return load_dataset(name, seed=seed)
    except DatasetError as exc:
        raise CLIError(str(exc)) from None


def _check_model_fits(model, data: DataSituation, spec: str) -> None:
    """One forward and loss on two samples, without gradients, so a shape mismatch is one line."""
    x, y = data.sample_batch(slice(0, 2))
    was_training = model.training
    model.eval()  # keeps batch-norm running statistics untouched
    try:
        with torch.no_grad():
            data.loss_fn(model(x), y)
    except Exception as exc:  # the user's model may fail in any way; report it, don't crash
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise CLIError(
            f"model {spec!r} does not fit dataset {data.name!r} (one sample is {data.input_shape}): {message}"
        ) from None
    finally:
        model.train(was_training)


def _train_with_progress(model, optimizer, data: DataSituation, config: TrainConfig) -> StepMetrics:
    bar = ProgressBar(config.steps, label="train")
    last = None
    try:
        for last in train(model, data, config, optimizer):
            bar.update(last.step, f"loss {last.loss:.4f}")
    finally:
        bar.close()
    assert last is not None, "--steps >= 1 was checked, so at least one step ran"
    return last


def _save(args: argparse.Namespace, model, optimizer, last: StepMetrics, config: TrainConfig) -> None:
    from explorer.core.checkpoint import CheckpointError, save_checkpoint  # only needed once training is done

    metrics = {"loss": last.loss, "test_accuracy": last.test_accuracy, "train_accuracy": last.train_accuracy}
    metadata = {
        "model": args.model,
        "dataset": args.dataset,
        "hyperparameters": asdict(config),
        "metrics": metrics,
    }
    try:
        save_checkpoint(args.out, model, optimizer, step=last.step, loss=last.loss, metadata=metadata)
    except CheckpointError as exc:
        raise CLIError(str(exc)) from None
