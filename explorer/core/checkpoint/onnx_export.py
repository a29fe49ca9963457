"""ONNX export (the optional `onnx` extra): a model to a `.onnx` file that was checked before it was written.

torch.onnx.export (the dynamo-based exporter, which needs onnxscript) turns the model into an ONNX
graph, with the batch dimension left free where the model allows it. Before anything is written,
onnx.checker validates the graph and onnx's own reference evaluator runs it on the sample: its output
must equal PyTorch's within float tolerance. Only then is the file written, atomically like every
checkpoint. Every failure is a CheckpointError "PATH: problem"; a failed export writes nothing.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import logging
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from explorer.core.atomic import atomic_write_bytes
from explorer.core.checkpoint import CheckpointError, first_line, full_metadata, plain_data_problem
from explorer.core.wording import TIMES

ONNX_SUFFIX = ".onnx"
ONNX_PACKAGES = ("onnx", "onnxscript")
INSTALL_HINT = "install explorer[onnx]"
# float32 kernels differ in summation order between PyTorch and onnx's numpy evaluator.
RTOL, ATOL = 1e-4, 1e-5
INPUT_NAME, OUTPUT_NAME = "input", "output"


@dataclass(frozen=True)
class OnnxExport:
    """What was written and how closely the ONNX model reproduced PyTorch on the sample."""

    path: Path
    opset: int
    input_shape: tuple[int | str, ...]  # "batch" where the batch dimension is free
    output_shape: tuple[int, ...]  # PyTorch's output on the sample
    max_abs_difference: float
    size_bytes: int

    @property
    def dynamic_batch(self) -> bool:
        return bool(self.input_shape) and isinstance(self.input_shape[0], str)

    def summary(self) -> str:
        shape = TIMES.join(map(str, self.input_shape))
        return (
            f"{self.path.name}: ONNX opset {self.opset}, input {shape}, {self.size_bytes:,} bytes; "
            f"checked, output matches PyTorch (max difference {self.max_abs_difference:.2g})"
        )

    def __repr__(self) -> str:
        return (
            f"OnnxExport({str(self.path)!r}, opset={self.opset}, input_shape={self.input_shape}, "
            f"max_abs_difference={self.max_abs_difference:.3g}, size_bytes={self.size_bytes})"
        )


def onnx_unavailable_reason() -> str | None:
    """Why ONNX export cannot run here ("... install explorer[onnx]"), or None when it can."""
    missing = [name for name in ONNX_PACKAGES if importlib.util.find_spec(name) is None]
    if not missing:
        return None
    return f"ONNX export needs {' and '.join(missing)}: {INSTALL_HINT}"


def export_onnx(path: str | Path, model: torch.nn.Module, sample: torch.Tensor, *, metadata: dict) -> OnnxExport:
    """Export `model` as it computes on `sample` (one input batch) to `path`, checked and verified first.

    `metadata` (plain data, as for checkpoints) is stored in the file's metadata_props, JSON-encoded.
    The model is exported in eval mode and left in the mode it was in.
    """
    path = Path(path)
    reason = onnx_unavailable_reason()
    if reason:
        raise CheckpointError(f"{path}: {reason}")
    if path.suffix.lower() != ONNX_SUFFIX:
        raise CheckpointError(f"{path}: an ONNX file must end in {ONNX_SUFFIX}")
    problem = plain_data_problem(metadata, "metadata")
    if problem:
        raise TypeError(f"{problem}; ONNX metadata holds only str, int, float, bool, None, lists and dicts")
    import onnx

    was_training = model.training
    model.eval()  # dropout off, batch norm on its running statistics: the model as it would be deployed
    try:
        with torch.no_grad():
            expected = model(sample)
        if not isinstance(expected, torch.Tensor):
            raise CheckpointError(f"{path}: the model returns a {type(expected).__name__}; ONNX export needs one tensor")
        proto = _export(path, model, sample)
    finally:
        model.train(was_training)

    _add_metadata(proto, metadata)
    try:
        onnx.checker.check_model(proto, full_check=True)
    except Exception as exc:
        raise CheckpointError(f"{path}: the exported ONNX model fails onnx.checker: {first_line(exc)}") from None
    difference = _verify(path, proto, sample, expected)
    try:
        data = proto.SerializeToString()
    except ValueError as exc:  # protobuf refuses messages over 2 GB
        raise CheckpointError(f"{path}: cannot serialise the ONNX model: {first_line(exc)}") from None
    try:
        atomic_write_bytes(path, data)
    except OSError as exc:
        raise CheckpointError(f"{path}: cannot write: {exc.strerror or exc}") from None
    return OnnxExport(
        path=path,
        opset=_opset(proto),
        input_shape=_input_shape(proto),
        output_shape=tuple(expected.shape),
        max_abs_difference=difference,
        size_bytes=len(data),
    )


def _export(path: Path, model: torch.nn.Module, sample: torch.Tensor):
    """The ONNX ModelProto; the batch dimension is free unless the model pins it."""
    # A batch of one would make the exporter specialise the batch size to 1; two samples keep it free.
    batch = torch.cat([sample, sample]) if sample.dim() > 0 and sample.shape[0] == 1 else sample
    attempts = ({"dynamic_shapes": ({0: "batch"},)}, {})  # then, if the model needs it, a fixed batch size
    problem = ""
    for extra in attempts:
        args = batch if extra else sample
        try:
            with _quiet_exporter():
                program = torch.onnx.export(
                    model, (args,), dynamo=True, input_names=[INPUT_NAME], output_names=[OUTPUT_NAME],
                    verbose=False, **extra,
                )
            return program.model_proto
        except Exception as exc:  # the exporter raises many kinds of errors for models it cannot trace
            problem = first_line(exc)
    raise CheckpointError(f"{path}: cannot export to ONNX: {problem}")


@contextlib.contextmanager
def _quiet_exporter():
    """The exporter logs notes (e.g. "torchvision is not installed") and deprecation warnings; a user
    asked for a file, and the verification below says whether it is right."""
    logger = logging.getLogger("torch.onnx")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        logger.setLevel(level)


def _add_metadata(proto, metadata: dict) -> None:
    """The checkpoint's metadata fields (format and versions included), each JSON-encoded as text."""
    for key, value in full_metadata(metadata, None).items():
        entry = proto.metadata_props.add()
        entry.key, entry.value = key, json.dumps(value, ensure_ascii=False)
    proto.producer_name = "explorer"


def _verify(path: Path, proto, sample: torch.Tensor, expected: torch.Tensor) -> float:
    """Run the ONNX model with onnx's reference evaluator; raise unless it reproduces PyTorch's output."""
    from onnx.reference import ReferenceEvaluator

    try:
        (actual,) = ReferenceEvaluator(proto).run(None, {INPUT_NAME: sample.detach().cpu().numpy()})
    except Exception as exc:
        raise CheckpointError(f"{path}: the exported ONNX model does not run: {first_line(exc)}") from None
    reference = expected.detach().cpu().numpy()
    if actual.shape != reference.shape:
        raise CheckpointError(
            f"{path}: the exported ONNX model gives shape {actual.shape}, PyTorch {reference.shape}; nothing written"
        )
    difference = float(np.max(np.abs(actual.astype(np.float64) - reference))) if reference.size else 0.0
    if not np.allclose(actual, reference, rtol=RTOL, atol=ATOL, equal_nan=True):
        raise CheckpointError(
            f"{path}: the exported ONNX model's output differs from PyTorch's by up to {difference:.3g} "
            f"(tolerance {ATOL:g} + {RTOL:g} x value); nothing written"
        )
    return difference


def _opset(proto) -> int:
    return next((entry.version for entry in proto.opset_import if entry.domain in ("", "ai.onnx")), 0)


def _input_shape(proto) -> tuple[int | str, ...]:
    dims = proto.graph.input[0].type.tensor_type.shape.dim
    return tuple(dim.dim_param if dim.dim_param else dim.dim_value for dim in dims)

