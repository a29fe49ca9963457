"""ONNX export (the optional `onnx` extra): a model to a `.onnx` file that was checked before it was written.

torch.onnx.export (the dynamo-based exporter, which needs onnxscript) turns the model into an ONNX
graph, with the batch dimension left free where the model allows it. A model whose forward returns a
tuple, dict or Hugging Face output is exported with one output, the prediction, picked by the rule every
path uses (explorer.core.outputs; `output` names it). Before anything is written, onnx.checker validates
the graph and an ONNX runtime runs it on the sample: onnxruntime when it is installed, else onnx's own
reference evaluator. Its output must equal PyTorch's within float tolerance: a wrong number or shape is a
CheckpointError and nothing is written. A runtime that cannot run the file at all (onnx's reference
evaluator lacks some operators' corner cases, e.g. GatherElements in a BERT) is not a wrong number: the file
is written and the summary says it could not be verified, and why. Every failure is a CheckpointError
"PATH: problem"; a failed export writes nothing.
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
from explorer.core.outputs import OutputError, select_output
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
    max_abs_difference: float | None  # None: no runtime could run the file (see unverified)
    size_bytes: int
    verifier: str = "onnxruntime"  # what ran the file: "onnxruntime" or "onnx reference evaluator"
    unverified: str = ""  # why the file could not be run to compare with PyTorch; "" when it was

    @property
    def dynamic_batch(self) -> bool:
        return bool(self.input_shape) and isinstance(self.input_shape[0], str)

    def summary(self) -> str:
        shape = TIMES.join(map(str, self.input_shape))
        head = f"{self.path.name}: ONNX opset {self.opset}, input {shape}, {self.size_bytes:,} bytes; "
        if self.unverified:
            return head + f"passes onnx.checker, but NOT verified against PyTorch: {self.unverified}"
        return head + (f"checked, output matches PyTorch (max difference {self.max_abs_difference:.2g}, "
                       f"run with {self.verifier})")

    def __repr__(self) -> str:
        return (
            f"OnnxExport({str(self.path)!r}, opset={self.opset}, input_shape={self.input_shape}, "
            f"max_abs_difference={self.max_abs_difference}, size_bytes={self.size_bytes}, "
            f"verifier={self.verifier!r}, unverified={self.unverified!r})"
        )


def onnx_unavailable_reason() -> str | None:
    """Why ONNX export cannot run here ("... install explorer[onnx]"), or None when it can."""
    missing = [name for name in ONNX_PACKAGES if importlib.util.find_spec(name) is None]
    if not missing:
        return None
    return f"ONNX export needs {' and '.join(missing)}: {INSTALL_HINT}"


class _Prediction(torch.nn.Module):
    """The model with one output, the prediction, so a tuple/dict/ModelOutput model exports as one tensor."""

    def __init__(self, model: torch.nn.Module, output: str):
        super().__init__()
        self.model, self.output = model, output

    def forward(self, x):
        return select_output(self.model(x), self.output)


def export_onnx(path: str | Path, model: torch.nn.Module, sample: torch.Tensor, *, metadata: dict,
                output: str = "") -> OnnxExport:
    """Export `model` as it computes on `sample` (one input batch) to `path`, checked and verified first.

    `metadata` (plain data, as for checkpoints) is stored in the file's metadata_props, JSON-encoded.
    `output` names the prediction in a structured output (explorer.core.outputs; "" lets its rule decide).
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
            raw = model(sample)
        try:
            expected = select_output(raw, output)
        except OutputError as exc:
            raise CheckpointError(f"{path}: {exc}") from None
        proto = _export(path, model if isinstance(raw, torch.Tensor) else _Prediction(model, output), sample)
    finally:
        model.train(was_training)

    _add_metadata(proto, metadata)
    try:
        onnx.checker.check_model(proto, full_check=True)
    except Exception as exc:
        raise CheckpointError(f"{path}: the exported ONNX model fails onnx.checker: {first_line(exc)}") from None
    difference, verifier, unverified = _verify(path, proto, sample, expected)
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
        verifier=verifier,
        unverified=unverified,
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


def onnx_runtime_name() -> str:
    """The runtime that verifies exported files here: onnxruntime when installed, else onnx's reference evaluator."""
    return "onnxruntime" if importlib.util.find_spec("onnxruntime") is not None else "onnx reference evaluator"


def _run(proto, feed: dict) -> np.ndarray:
    if onnx_runtime_name() == "onnxruntime":
        import onnxruntime

        options = onnxruntime.SessionOptions()
        options.log_severity_level = 3  # errors only: its warnings about unused initializers are noise here
        session = onnxruntime.InferenceSession(proto.SerializeToString(), options, providers=["CPUExecutionProvider"])
        return session.run(None, feed)[0]
    from onnx.reference import ReferenceEvaluator

    return ReferenceEvaluator(proto).run(None, feed)[0]


def _verify(path: Path, proto, sample: torch.Tensor, expected: torch.Tensor) -> tuple[float | None, str, str]:
    """Run the ONNX model on the sample; raise unless it reproduces PyTorch's output.

    (max difference, runtime, "") when it does; (None, runtime, why) when the runtime could not run the
    file at all: that says nothing about the file's numbers, so it is reported, not called a broken export.
    """
    verifier = onnx_runtime_name()
    try:
        actual = _run(proto, {INPUT_NAME: sample.detach().cpu().numpy()})
    except Exception as exc:
        return None, verifier, f"{verifier} could not run it ({first_line(exc)})"
    reference = expected.detach().cpu().numpy()
    if actual.shape != reference.shape:
        raise CheckpointError(
            f"{path}: the exported ONNX model gives shape {actual.shape}, PyTorch {reference.shape}; nothing written"
        )
    difference = float(np.max(np.abs(actual.astype(np.float64) - reference))) if reference.size else 0.0
    if not np.allclose(actual, reference, rtol=RTOL, atol=ATOL, equal_nan=True):
        raise CheckpointError(
            f"{path}: the exported ONNX model's output differs from PyTorch's by up to {difference:.3g} "
            f"(tolerance {ATOL:g} + {RTOL:g} x value, run with {verifier}); nothing written"
        )
    return difference, verifier, ""


def _opset(proto) -> int:
    return next((entry.version for entry in proto.opset_import if entry.domain in ("", "ai.onnx")), 0)


def _input_shape(proto) -> tuple[int | str, ...]:
    dims = proto.graph.input[0].type.tensor_type.shape.dim
    return tuple(dim.dim_param if dim.dim_param else dim.dim_value for dim in dims)

