"""Untrusted files: every bad one becomes a one-line CheckpointError naming the file, and runs no code."""

import json
import os
import pickle
import struct

import pytest
import safetensors.torch
import torch
import torch.nn as nn

from explorer.core.checkpoint import (
    CheckpointError,
    apply_checkpoint,
    check_compatible,
    load_checkpoint,
    save_checkpoint,
)
from explorer.core.models import build_model
from tests.shared_models import OtherNet

METADATA = {"model": "seed"}


def expect_error(path, *fragments) -> str:
    """Load `path`, expecting a one-line CheckpointError "PATH: problem" that contains `fragments`."""
    with pytest.raises(CheckpointError) as caught:
        load_checkpoint(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: "), message
    assert "\n" not in message
    for fragment in fragments:
        assert fragment in message
    return message


def saved(tmp_path, name: str, **kwargs):
    path = tmp_path / name
    model = kwargs.pop("model", None) or build_model("seed")
    save_checkpoint(path, model, metadata=kwargs.pop("metadata", METADATA), **kwargs)
    return path


def state_of(model: nn.Module) -> dict:
    return {name: tensor.clone() for name, tensor in model.state_dict().items()}


def assert_unchanged(model: nn.Module, before: dict) -> None:
    for name, tensor in model.state_dict().items():
        assert torch.equal(tensor, before[name]), name


@pytest.mark.parametrize("suffix", [".pt", ".safetensors"])
def test_truncated_file(tmp_path, suffix):
    path = saved(tmp_path, f"run{suffix}")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    expect_error(path, "truncated" if suffix == ".pt" else "not a readable safetensors file")


@pytest.mark.parametrize("suffix", [".pt", ".safetensors"])
def test_random_bytes(tmp_path, suffix):
    path = tmp_path / f"noise{suffix}"
    path.write_bytes(os.urandom(4096))
    expect_error(path)


@pytest.mark.parametrize("suffix", [".pt", ".safetensors"])
def test_zero_length_missing_and_folder(tmp_path, suffix):
    empty = tmp_path / f"empty{suffix}"
    empty.write_bytes(b"")
    expect_error(empty, "empty file (0 bytes)")
    expect_error(tmp_path / f"missing{suffix}", "no such file")
    folder = tmp_path / f"folder{suffix}"
    folder.mkdir()
    expect_error(folder, "is a folder")


def test_unknown_suffix(tmp_path):
    path = tmp_path / "run.ckpt"
    path.write_bytes(b"anything")
    expect_error(path, "unknown checkpoint type '.ckpt'")


def test_safetensors_with_a_huge_header_length(tmp_path):
    path = tmp_path / "huge.safetensors"
    path.write_bytes(struct.pack("<Q", 2**62) + b'{"__metadata__": {}}')
    expect_error(path, "header too large")


def test_safetensors_with_garbled_json_header(tmp_path):
    path = tmp_path / "garbled.safetensors"
    header = b'{"w": {"dtype": "F32", "shape": [2], "data_offsets": [0, '  # cut off mid-JSON
    path.write_bytes(struct.pack("<Q", len(header)) + header + bytes(8))
    expect_error(path, "JSON")


class RunsCode:
    """Unpickling this runs `touch MARKER`: what a malicious checkpoint would do."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch '{self.marker}'",))


@pytest.mark.parametrize("container", ["torch.save", "raw pickle"])
def test_pickle_that_would_run_code_is_refused_and_runs_nothing(tmp_path, container):
    marker = tmp_path / "MARKER"
    path = tmp_path / "evil.pt"
    payload = {"model_state_dict": {"w": torch.zeros(2)}, "step": RunsCode(marker)}
    if container == "torch.save":
        torch.save(payload, path)
    else:
        path.write_bytes(pickle.dumps(payload, protocol=2))

    message = expect_error(path)
    assert not marker.exists(), "loading the checkpoint ran code from it"
    if container == "torch.save":
        assert "refused" in message and "system" in message
    # The file really is armed: an unsafe load runs its code.
    with open(path, "rb") as file:
        torch.load(file, weights_only=False) if container == "torch.save" else pickle.load(file)
    assert marker.exists()


@pytest.mark.parametrize(
    "content, fragment",
    [
        ([torch.zeros(2)], "holds a list, not a dict"),
        ({}, "no 'model_state_dict'"),
        (
            {"weights": torch.zeros(2), "note": "text"},
            "no 'model_state_dict' and not a state_dict (keys: weights, note)",
        ),
        ({"model_state_dict": [torch.zeros(2)]}, "'model_state_dict' is a list"),
        ({"model_state_dict": {"w": "not a tensor"}}, "not name -> dense tensor: w"),
        ({"model_state_dict": {"w": torch.zeros(2)}, "step": "100"}, "'step' is a str"),
        ({"model_state_dict": {"w": torch.zeros(2)}, "step": 1.5}, "'step' is a float"),
        ({"model_state_dict": {"w": torch.zeros(2)}, "loss": "low"}, "'loss' is a str"),
        ({"model_state_dict": {"w": torch.zeros(2)}, "metadata": ["a"]}, "'metadata' is a list"),
        ({"model_state_dict": {"w": torch.zeros(2)}, "metadata": {"model": "seed"}}, "format_version is None"),
        (
            {"model_state_dict": {"w": torch.zeros(2)}, "metadata": {"format_version": 1, "x": torch.zeros(1)}},
            "metadata['x'] is a torch.Tensor",
        ),
        ({"model_state_dict": {"w": torch.zeros(2)}, "optimizer_state_dict": {"lr": 1}}, "not an optimizer state_dict"),
    ],
)
def test_wrong_structure_or_types(tmp_path, content, fragment):
    path = tmp_path / "odd.pt"
    torch.save(content, path)
    expect_error(path, fragment)


def test_newer_format_version_in_either_format(tmp_path):
    pt = tmp_path / "future.pt"
    torch.save({"model_state_dict": {"w": torch.zeros(2)}, "step": 1, "metadata": {"format_version": 2}}, pt)
    expect_error(pt, "written by a newer explorer (format 2); this one reads up to 1")
    st = tmp_path / "future.safetensors"
    safetensors.torch.save_file({"w": torch.zeros(2)}, st, metadata={"format_version": "2", "step": "1"})
    expect_error(st, "written by a newer explorer (format 2); this one reads up to 1")


def test_control_characters_from_a_file_are_escaped(tmp_path):
    path = tmp_path / "odd.pt"
    torch.save({"model_state_dict": {"w\x1b[2J\n": "x"}}, path)
    message = expect_error(path, "w\\x1b[2J\\n")
    assert "\x1b" not in message


def test_state_dict_of_another_model_lists_every_problem_and_changes_nothing(tmp_path):
    path = tmp_path / "other.pt"
    torch.save(OtherNet().state_dict(), path)
    checkpoint = load_checkpoint(path)
    model = build_model("seed")
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    before = state_of(model)

    with pytest.raises(CheckpointError) as caught:
        check_compatible(model, checkpoint)
    message = str(caught.value)
    assert message == (
        f"{path}: does not fit this model: missing 2 tensors: fc3.weight, fc3.bias; "
        "2 unexpected tensors: head.weight, head.bias; "
        "2 wrong shapes: conv2.weight (file 8×6×3×3 vs model 16×6×5×5), conv2.bias (file 8 vs model 16)"
    )
    with pytest.raises(CheckpointError, match="does not fit this model"):
        apply_checkpoint(model, checkpoint, optimizer)
    assert_unchanged(model, before)


def test_optimizer_state_for_another_optimizer_or_shape_is_refused_and_changes_nothing(tmp_path):
    donor = build_model("seed", seed=1)
    adam = torch.optim.Adam(donor.parameters())
    donor(torch.zeros(1, 1, 32, 32)).sum().backward()
    adam.step()
    path = saved(tmp_path, "adam.pt", model=donor, optimizer=adam)

    model = build_model("seed", seed=2)
    sgd = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    before = state_of(model)
    with pytest.raises(CheckpointError, match="holds Adam state, but the optimizer is SGD"):
        apply_checkpoint(model, load_checkpoint(path), sgd)
    assert_unchanged(model, before)

    content = torch.load(path, weights_only=True)
    content["optimizer_state_dict"]["state"][4]["exp_avg"] = torch.zeros(120, 400)
    torch.save(content, path)
    adam_too = torch.optim.Adam(model.parameters())
    wrong_shape = "optimizer state 'exp_avg' of fc1.weight is 120×400; the parameter is 1200×400"
    with pytest.raises(CheckpointError, match=wrong_shape):
        apply_checkpoint(model, load_checkpoint(path), adam_too)
    assert_unchanged(model, before)
    assert adam_too.state_dict()["state"] == {}


def test_failure_midway_through_apply_rolls_model_and_optimizer_back(tmp_path):
    """The model is already loaded when the optimizer's load fails: both must end as they began."""
    donor = build_model("seed", seed=1)
    donor_optimizer = torch.optim.SGD(donor.parameters(), lr=0.5, momentum=0.9)
    donor(torch.zeros(1, 1, 32, 32)).sum().backward()
    donor_optimizer.step()
    path = saved(tmp_path, "run.pt", model=donor, optimizer=donor_optimizer)

    model = build_model("seed", seed=2)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    model(torch.ones(1, 1, 32, 32)).sum().backward()
    optimizer.step()
    before, optimizer_before = state_of(model), optimizer.state_dict()
    momentum_before = [t.clone() for t in (s["momentum_buffer"] for s in optimizer_before["state"].values())]

    failures = iter([RuntimeError("disk gremlin")])

    def fail_once(optimizer):
        error = next(failures, None)
        if error:
            raise error

    optimizer.register_load_state_dict_post_hook(fail_once)
    with pytest.raises(CheckpointError, match=r"run\.pt: cannot apply: disk gremlin"):
        apply_checkpoint(model, load_checkpoint(path), optimizer)
    assert_unchanged(model, before)
    assert optimizer.param_groups[0]["lr"] == 0.1
    after = [s["momentum_buffer"] for s in optimizer.state_dict()["state"].values()]
    assert all(torch.equal(a, b) for a, b in zip(after, momentum_before, strict=True))


def test_nan_and_inf_weights_load_with_a_warning(tmp_path):
    model = build_model("seed")
    with torch.no_grad():
        model.fc1.weight[0, 0] = float("nan")
        model.fc2.bias[3] = float("inf")
    path = saved(tmp_path, "diverged.safetensors", model=model)
    checkpoint = load_checkpoint(path)
    assert checkpoint.warnings == ("2 tensors hold NaN or Inf values: fc1.weight, fc2.bias",)
    target = build_model("seed", seed=3)
    apply_checkpoint(target, checkpoint)
    assert torch.isnan(target.fc1.weight[0, 0]) and torch.isinf(target.fc2.bias[3])


def test_safetensors_metadata_with_wrong_types(tmp_path):
    path = tmp_path / "odd.safetensors"
    safetensors.torch.save_file({"w": torch.zeros(2)}, path, metadata={"step": json.dumps("ten")})
    expect_error(path, "'step' is a str")
