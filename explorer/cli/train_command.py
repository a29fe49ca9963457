"""`explorer train`: train a model headless and save a checkpoint, or resume training from one.

Every argument is checked before the first step, so a typo costs seconds, not a training run.
With --resume, the run continues from the checkpoint's weights, optimizer state and step, with the
batches an uninterrupted run would have drawn next: resuming to step N gives what a run straight to N
gives. Settings not given on the command line are taken from the checkpoint.
"""

from __future__ import annotations

import argparse
import math
import re
import sys
import tempfile
from dataclasses import asdict, replace
from pathlib import Path

import torch

from explorer.cli import CLIError
from explorer.cli.model_options import add_model_options, build_cli_model, model_options, spec_metadata
from explorer.cli.progress import ProgressBar
from explorer.ui.window.options import DATA_FORMS, MODEL_FORMS
from explorer.core.checkpoint import (
    MODEL_SPEC_KEY,
    SUFFIXES,
    Checkpoint,
    CheckpointError,
    apply_checkpoint,
    load_checkpoint,
    printable,
    save_checkpoint,
    saved_model_spec,
)
from explorer.core.batch_rule import training_batch
from explorer.core.data.datasets import DatasetError, DataSituation, load_dataset
from explorer.core.models import ModelSpec, ModelSpecError, parse_spec, primary_output, sample_shape_for
from explorer.core.optim import OPTIMIZERS, make_optimizer
from explorer.core.training.loop import StepMetrics, TrainConfig, train

DEFAULTS = TrainConfig()
# Settings a resumed run takes from the checkpoint unless given on the command line, with their defaults.
SETTING_DEFAULTS = {
    "model": "seed",
    "dataset": "digits",
    "steps": DEFAULTS.steps,
    "batch_size": DEFAULTS.batch_size,
    "lr": DEFAULTS.lr,
    "optimizer": DEFAULTS.optimizer,
    "seed": DEFAULTS.seed,
}


def add_parser(subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "train",
        help="train a model and save a checkpoint",
        description="Train a model headless and save a checkpoint (.pt or .safetensors, by suffix). Training runs "
        "in training mode (dropout on, batch norm on each batch's statistics); the test accuracy is measured in "
        "eval mode.",
    )
    d = SETTING_DEFAULTS
    # Defaults are None so that a resumed run can tell a setting given here from one to take from the file.
    parser.add_argument("--model", help=f"{MODEL_FORMS} (default: {d['model']}, the tutorial's Net)")
    add_model_options(parser, kept="a resumed run of the same model keeps the checkpoint's")
    parser.add_argument("--dataset", help=f"{DATA_FORMS} (default: {d['dataset']})")
    parser.add_argument(
        "--steps", type=int, help=f"the step to train up to; a resumed run counts on from its step (default: {d['steps']})"
    )
    parser.add_argument("--batch-size", type=int, help=f"default: {d['batch_size']}")
    parser.add_argument("--lr", type=float, help=f"learning rate (default: {d['lr']})")
    parser.add_argument("--optimizer", choices=OPTIMIZERS, help=f"default: {d['optimizer']}")
    parser.add_argument("--seed", type=int, help=f"weights and batch order (default: {d['seed']})")
    parser.add_argument(
        "--threads", type=int, default=None,
        help="CPU threads for PyTorch (default: PyTorch's own choice, one per core); "
        "on a busy machine 1 is often several times faster for small models",
    )
    parser.add_argument(
        "--resume", type=Path, metavar="PATH",
        help="continue from this checkpoint: its weights, optimizer state (.pt) and step, and its settings "
        "for any option not given here",
    )
    parser.add_argument("--out", required=True, type=Path, help="checkpoint to write: PATH.pt or PATH.safetensors")
    parser.set_defaults(run=run_train)
    return parser


def run_train(args: argparse.Namespace) -> int:
    check_out_path(args.out, SUFFIXES)
    resumed = _load_resume(args.resume) if args.resume is not None else None
    settings = _settings(args, resumed)
    config = _config_from(settings, resumed)
    if args.threads is not None:
        if args.threads < 1:
            raise CLIError(f"--threads must be at least 1, got {args.threads}")
        torch.set_num_threads(args.threads)
    spec = _model_spec(settings["model"], args, resumed)
    data = _load_data(settings["dataset"], config.seed, sample_shape_for(spec))
    model = build_cli_model(spec, seed=config.seed, to_hold=resumed)
    _check_model_fits(model, data, settings["model"], spec.output)
    config = _batch_that_trains(model, data, config, settings["model"], spec.output)

    optimizer = make_optimizer(config.optimizer, model.parameters(), config.lr, config.momentum)
    start_step = 0
    if resumed is not None:
        _resume(resumed, model, optimizer, lr_given=args.lr is not None)
        start_step = resumed.step
        print(f"resuming from {printable(resumed.path)} at step {start_step}")
    last = _train_with_progress(model, optimizer, data, config, start_step, spec.output)
    if last.nonfinite:
        raise CLIError(
            f"training diverged at step {last.step}: {last.nonfinite} became NaN or infinite "
            f"(try a smaller --lr than {config.lr}); nothing was saved"
        )

    print(f"final loss {last.loss:.6g} after {last.step} steps ({last.epoch} epochs)")
    if last.test_accuracy is not None:
        print(f"test accuracy {last.test_accuracy:.2%} on {len(data.test_y)} held-out samples")
    _save(args.out, settings, spec, model, optimizer, last, config)
    print(f"saved {args.out}")
    return 0


def _load_resume(path: Path) -> Checkpoint:
    try:
        checkpoint = load_checkpoint(path)
    except CheckpointError as exc:
        raise CLIError(str(exc)) from None
    if checkpoint.warnings:
        raise CLIError(f"{printable(path)}: cannot resume: {printable(checkpoint.warnings[0])}")
    return checkpoint


def _settings(args: argparse.Namespace, resumed: Checkpoint | None) -> dict:
    """Each setting from the command line, else from the resumed checkpoint, else its default."""
    saved = _saved_settings(resumed) if resumed is not None else {}
    settings = {}
    for name, default in SETTING_DEFAULTS.items():
        given = getattr(args, name)
        settings[name] = given if given is not None else saved.get(name, default)
    if resumed is not None:
        _check_resumable(args, resumed, settings)
    return settings


def _model_spec(text: str, args: argparse.Namespace, resumed: Checkpoint | None) -> ModelSpec:
    """The model to build; a resumed run of the same model keeps the file's constructor arguments and input
    shape unless --model-kwargs or --input-shape is given."""
    saved = None
    if resumed is not None:
        try:
            saved = saved_model_spec(resumed)
        except CheckpointError as exc:
            raise CLIError(str(exc)) from None
    return model_options(args).spec(text, saved)


def _saved_settings(checkpoint: Checkpoint) -> dict:
    meta = checkpoint.metadata
    hyper = meta.get("hyperparameters") if isinstance(meta.get("hyperparameters"), dict) else {}
    saved = {name: hyper[name] for name in ("batch_size", "lr", "optimizer", "seed") if name in hyper}
    saved.update({name: meta[name] for name in ("model", "dataset") if isinstance(meta.get(name), str)})
    return saved


def _check_resumable(args: argparse.Namespace, resumed: Checkpoint, settings: dict) -> None:
    path = printable(resumed.path)
    if args.steps is None:
        raise CLIError(f"{path} is at step {resumed.step}: give --steps N (N > {resumed.step}) to say how far to train")
    if args.steps <= resumed.step:
        raise CLIError(f"--steps {args.steps}: {path} is already at step {resumed.step}; train to a later step")
    spec = settings["model"]
    if args.model is None and not parse_spec(spec).is_builtin:
        # A checkpoint is untrusted: the code file it names runs only when the user names it here.
        raise CLIError(
            f"{path}: names the model {printable(spec)!r}, code in a file that explorer will not run on a "
            f"checkpoint's say-so; give --model {printable(spec)} if you trust that file"
        )


def _resume(checkpoint: Checkpoint, model, optimizer, lr_given: bool) -> None:
    """The checkpoint's weights and optimizer state into the fresh model and optimizer, all or nothing."""
    try:
        apply_checkpoint(model, checkpoint, optimizer)
    except CheckpointError as exc:
        raise CLIError(str(exc)) from None
    if checkpoint.optimizer_state is None:
        print(
            f"note: {printable(checkpoint.path)} holds no optimizer state "
            f"({'.safetensors holds weights only' if checkpoint.format == 'safetensors' else 'none was saved'}); "
            "the optimizer starts fresh, so the run will not match an uninterrupted one exactly",
            file=sys.stderr,
        )
    if lr_given:  # the optimizer state brought its own learning rate; the command line wins
        for group in optimizer.param_groups:
            group["lr"] = optimizer.defaults["lr"]


def _config_from(settings: dict, resumed: Checkpoint | None) -> TrainConfig:
    lr, steps, batch_size = settings["lr"], settings["steps"], settings["batch_size"]
    if not (type(lr) in (int, float) and math.isfinite(lr) and lr > 0):
        raise CLIError(f"--lr must be a positive number, got {lr}")
    if type(steps) is not int or steps < 1:
        raise CLIError(f"--steps must be at least 1, got {steps}")
    if type(batch_size) is not int or batch_size < 1:
        raise CLIError(f"--batch-size must be at least 1, got {batch_size}")
    if settings["optimizer"] not in OPTIMIZERS or type(settings["seed"]) is not int:
        where = f"{printable(resumed.path)}: " if resumed is not None else ""
        raise CLIError(f"{where}unusable settings: optimizer {settings['optimizer']!r}, seed {settings['seed']!r}")
    return TrainConfig(
        optimizer=settings["optimizer"], lr=float(lr), batch_size=batch_size, steps=steps, seed=settings["seed"]
    )


def check_out_path(out: Path, suffixes: tuple[str, ...]) -> None:
    """Refuse an output path that could not be written, before any work is done."""
    if out.suffix.lower() not in suffixes:
        raise CLIError(f"--out {out}: the name must end in {', '.join(suffixes[:-1])} or {suffixes[-1]}")
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


def _load_data(name: str, seed: int, input_shape: tuple[int, ...] | None) -> DataSituation:
    try:
        return load_dataset(name, seed=seed, input_shape=input_shape)
    except DatasetError as exc:
        raise CLIError(str(exc)) from None


def _check_model_fits(model, data: DataSituation, spec: str, output: str = "") -> None:
    """One forward and loss on two samples, without gradients, so a shape mismatch is one line; the prediction
    is picked from the model's output by the rule every path uses (explorer.core.outputs)."""
    x, y = data.sample_batch(slice(0, 2))
    was_training = model.training
    model.eval()  # keeps batch-norm running statistics untouched
    try:
        with torch.no_grad():
            data.loss_fn(primary_output(model(x), output), y)
    except Exception as exc:  # the user's model may fail in any way; report it, don't crash
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        if isinstance(exc, ModelSpecError):  # the output rule could not tell the prediction: --output can
            raise CLIError(f"model {spec!r}: {message}") from None
        hint = ("; if the model expects samples of another shape, give it with --input-shape C,H,W"
                if re.search(r"shape|size|mat1|expected input", message) else "")
        raise CLIError(
            f"model {spec!r} does not fit dataset {data.name!r} (one sample is {data.input_shape}): {message}{hint}"
        ) from None
    finally:
        model.train(was_training)


def _batch_that_trains(model, data: DataSituation, config: TrainConfig, spec: str, output: str) -> TrainConfig:
    """The batch rule for a run (explorer.core.batch_rule.training_batch): batch norm at one sample trains on two,
    and the note says so; the checkpoint records the batch that trained."""
    try:
        batch, notices = training_batch(model, data, config.batch_size, output)
    except ModelSpecError as exc:
        raise CLIError(f"model {spec!r}: {str(exc).splitlines()[0]}") from None
    for notice in notices:
        print(f"note: {notice} (--batch-size)", file=sys.stderr)
    return replace(config, batch_size=batch)


def _train_with_progress(model, optimizer, data: DataSituation, config: TrainConfig, start_step: int,
                         output: str = "") -> StepMetrics:
    bar = ProgressBar(config.steps, label="train")
    last = None
    try:
        for last in train(model, data, config, optimizer, start_step=start_step, output=output):
            bar.update(last.step, f"loss {last.loss:.4f}")
    finally:
        bar.close()
    assert last is not None, "--steps above the start step was checked, so at least one step ran"
    return last


def _save(out: Path, settings: dict, spec: ModelSpec, model, optimizer, last: StepMetrics, config: TrainConfig) -> None:
    metrics = {"loss": last.loss, "test_accuracy": last.test_accuracy, "train_accuracy": last.train_accuracy}
    metadata = {
        MODEL_SPEC_KEY: settings["model"],
        "dataset": settings["dataset"],
        "hyperparameters": asdict(config),
        "metrics": metrics,
        **spec_metadata(spec),
    }
    try:
        save_checkpoint(out, model, optimizer, step=last.step, loss=last.loss, metadata=metadata)
    except CheckpointError as exc:
        raise CLIError(str(exc)) from None
