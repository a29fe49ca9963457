"""explorer.session on real third-party models: stepping forward and backward through all of it gives every
parameter exactly the gradient a plain loss.backward() gives, and leaves the model as it found it."""

import copy

import pytest
import torch

import explorer
from tests.core.live.third_party import CASES, plain_gradients


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_stepping_gives_the_gradients_of_a_plain_backward(case):
    model = case.build().eval()  # eval: dropout draws nothing, so the two passes compute the same numbers
    reference = copy.deepcopy(model)
    expected = plain_gradients(reference, case)

    with explorer.session(model, case.batch(), target=case.target(), loss_fn=case.loss_fn, output=case.output) as s:
        while s.phase.value != "forward done":
            s.step_forward()
        assert len(s.forward_steps) > 10
        s.compute_loss()
        while s.phase.value != "backward done":
            s.step_backward()
        got = {n: p.grad for n, p in model.named_parameters() if p.grad is not None}

    assert got.keys() == expected.keys() and len(got) == len(list(model.parameters()))
    for name, grad in expected.items():
        assert torch.equal(got[name], grad), name


@pytest.mark.parametrize("case", CASES[:2] + CASES[3:4], ids=lambda c: c.name)
def test_a_session_that_only_stepped_leaves_the_model_bit_identical(case):
    """Train mode (batch norm's running statistics, dropout): the session's dry run and hooks change nothing; its
    one forward and backward do what a plain forward and backward do, and close() leaves the mode as it was."""
    model = case.build().train()
    reference = copy.deepcopy(model)
    torch.manual_seed(1)
    expected = plain_gradients(reference, case)
    torch.manual_seed(1)
    with explorer.session(model, case.batch(), target=case.target(), loss_fn=case.loss_fn, output=case.output) as s:
        s.run_forward()
        s.compute_loss()
        s.run_backward()
        model.eval()  # the user may change the mode meanwhile; close() gives back the mode the session began with
    assert model.training
    for (name, p), q in zip(model.named_parameters(), reference.parameters()):
        assert torch.equal(p, q) and torch.equal(p.grad, expected[name]), name
    for (name, b), c in zip(model.named_buffers(), reference.buffers()):
        assert torch.equal(b, c), name
    assert not any(m._forward_hooks or m._forward_pre_hooks or m._backward_hooks for m in model.modules())
    model.eval(), reference.eval()
    from explorer.core.data.batches import call_model
    from explorer.core.outputs import select_output

    with torch.no_grad():
        assert torch.equal(select_output(call_model(model, case.batch())), select_output(call_model(reference, case.batch())))
