"""Fuzzing: valid checkpoints with flipped, cut and inserted bytes never crash, hang or half-apply.

Each mutated file either loads (the mutation hit bytes that are only numbers, such as tensor data, or
bytes a reader skips) or is rejected with a one-line CheckpointError. A file that loads is then
applied to a model: that too succeeds or fails cleanly with the model unchanged. Anything else, an
exception of another type or an example slower than the deadline, fails the test. The last test
prints how the outcomes were distributed (run with -s to see it outside a failure).
"""

from collections import Counter
from datetime import timedelta

import pytest
import torch
import torch.nn as nn
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from explorer.core.checkpoint import CheckpointError, apply_checkpoint, load_checkpoint, save_checkpoint
from explorer.core.seeding import seeded_init

EXAMPLES_PER_FORMAT = 300
FORMATS = (".pt", ".safetensors")
OUTCOMES: dict[str, Counter] = {suffix: Counter() for suffix in FORMATS}
REFERENCE_STATE: dict[str, torch.Tensor] = {}  # the valid files' weights, filled by the originals fixture


def small_model() -> nn.Module:
    """Small, so that most mutations land in structure (zip records, pickle, JSON header), not in numbers."""
    with seeded_init(0):
        return nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.Linear(3, 2))


@pytest.fixture(scope="module")
def originals(tmp_path_factory) -> dict[str, bytes]:
    """The valid files' bytes, by suffix."""
    folder = tmp_path_factory.mktemp("originals")
    model = small_model()
    optimizer = torch.optim.Adam(model.parameters(), lr=0.1)
    model(torch.ones(1, 4)).sum().backward()
    optimizer.step()
    REFERENCE_STATE.update({name: tensor.clone() for name, tensor in model.state_dict().items()})
    metadata = {"model": "seed", "dataset": "digits", "metrics": {"loss": 0.5}, "hyperparameters": {"lr": 0.1}}
    contents = {}
    for suffix in FORMATS:
        path = folder / f"valid{suffix}"
        save_checkpoint(path, model, optimizer, step=12, loss=0.5, metadata=metadata)
        contents[suffix] = path.read_bytes()
    return contents


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    return tmp_path_factory.mktemp("mutated")


positions = st.integers(min_value=0, max_value=2**31)
mutation = st.one_of(
    st.tuples(st.just("flip"), positions, st.integers(min_value=1, max_value=255)),
    st.tuples(st.just("truncate"), positions),
    st.tuples(st.just("insert"), positions, st.binary(min_size=1, max_size=32)),
)


def mutate(data: bytes, mutations) -> bytes:
    buffer = bytearray(data)
    for kind, position, *arguments in mutations:
        at = position % (len(buffer) + 1)
        if kind == "flip" and buffer:
            buffer[min(at, len(buffer) - 1)] ^= arguments[0]
        elif kind == "truncate" and buffer:
            del buffer[at % len(buffer):]  # at least one byte goes
        elif kind == "insert":
            buffer[at:at] = arguments[0]
    return bytes(buffer)


def outcome_of(path, reference: dict[str, torch.Tensor]) -> str:
    """Load and apply `path`; any exception other than CheckpointError propagates and fails the test."""
    try:
        checkpoint = load_checkpoint(path)
    except CheckpointError as exc:
        message = str(exc)
        assert message.startswith(f"{path}: ") and "\n" not in message, message
        return "rejected"
    model = small_model()
    optimizer = torch.optim.Adam(model.parameters(), lr=0.1)
    before = {name: tensor.clone() for name, tensor in model.state_dict().items()}
    try:
        apply_checkpoint(model, checkpoint, optimizer)
    except CheckpointError as exc:
        assert "\n" not in str(exc)
        for name, tensor in model.state_dict().items():
            assert torch.equal(tensor, before[name]), name
        return "loaded, refused on apply"
    same = all(torch.equal(checkpoint.model_state[name], tensor) for name, tensor in reference.items())
    numbers = "the same weights" if same else "altered weights"
    return f"loaded and applied with {numbers}" + (" (NaN/Inf warned)" if checkpoint.warnings else "")


@pytest.mark.parametrize("suffix", FORMATS)
@settings(
    max_examples=EXAMPLES_PER_FORMAT,
    deadline=timedelta(seconds=2),  # a hang, or a reader that takes seconds on a tiny file, fails the test
    derandomize=True,  # the same examples every run, so the printed counts are reproducible
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(mutations=st.lists(mutation, min_size=1, max_size=3))
def test_mutated_checkpoints_load_cleanly_or_are_rejected_cleanly(originals, workdir, suffix, mutations):
    data = mutate(originals[suffix], mutations)
    assume(data != originals[suffix])  # e.g. two flips of one byte that cancel out
    path = workdir / f"mutated{suffix}"
    path.write_bytes(data)
    OUTCOMES[suffix][outcome_of(path, REFERENCE_STATE)] += 1


def test_outcome_counts(capsys):
    """Every example ran to one of the clean outcomes (a crash would have failed the test above)."""
    if not all(OUTCOMES.values()):
        pytest.skip("run together with the fuzz test above")
    with capsys.disabled():
        for suffix, counts in OUTCOMES.items():
            total = sum(counts.values())
            parts = ", ".join(f"{count} {outcome}" for outcome, count in counts.most_common())
            print(f"\nfuzz {suffix}: {total} mutated files: {parts}; 0 crashes, 0 hangs")
    for counts in OUTCOMES.values():
        assert sum(counts.values()) == EXAMPLES_PER_FORMAT
        assert counts["rejected"] > 0
