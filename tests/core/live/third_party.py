"""Real third-party models built from small configs with random weights (nothing is downloaded), and a batch,
target and loss for each: what a practitioner would hand to explorer.session / explorer.show.

torchvision from PyPI is a CUDA build: next to the CPU torch its import fails on the C++ ops it registers
fakes for, until their schemas exist. Its classification models use none of them, so defining the two
schemas is enough (see /work/shared/ENVIRONMENT.md). transformers imports torchvision when it is there.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from typing import Any, Callable

import pytest
import torch
import torch.nn.functional as F

_stub = None


def define_torchvision_op_schemas() -> None:
    global _stub
    if _stub is not None or importlib.util.find_spec("torchvision") is None:
        return
    try:
        torch.ops.torchvision.nms  # a real build registered them
        return
    except (AttributeError, RuntimeError):
        pass
    _stub = torch.library.Library("torchvision", "DEF")
    _stub.define("nms(Tensor dets, Tensor scores, float iou_threshold) -> Tensor")
    _stub.define("qnms(Tensor dets, Tensor scores, float iou_threshold) -> Tensor")


def need(module: str):
    define_torchvision_op_schemas()
    return pytest.importorskip(module, reason=f"{module} is a test-only extra: pip install -e '.[models]'")


@dataclass
class Case:
    name: str
    build: Callable[[], torch.nn.Module]
    batch: Callable[[], Any]
    target: Callable[[], torch.Tensor | None]
    loss_fn: Callable | None = None  # None: explorer's default for the target
    output: str | None = None


def next_token_loss(logits: torch.Tensor, ids: torch.Tensor) -> torch.Tensor:
    """A language model's loss: each position predicts the next token."""
    return F.cross_entropy(logits[:, :-1].reshape(-1, logits.shape[-1]), ids[:, 1:].reshape(-1))


def _generator():
    return torch.Generator().manual_seed(0)


def resnet18():
    tv = need("torchvision")
    torch.manual_seed(0)
    return tv.models.resnet18(num_classes=10)


def mobilenet_v3():
    tv = need("torchvision")
    torch.manual_seed(0)
    return tv.models.mobilenet_v3_small(num_classes=10)


def vit():
    tf = need("transformers")
    torch.manual_seed(0)
    config = tf.ViTConfig(image_size=32, patch_size=8, num_channels=3, hidden_size=32, num_hidden_layers=2,
                          num_attention_heads=2, intermediate_size=64, num_labels=10)
    return tf.ViTForImageClassification(config)


def gpt2():
    tf = need("transformers")
    torch.manual_seed(0)
    config = tf.GPT2Config(vocab_size=50, n_positions=16, n_embd=32, n_layer=2, n_head=2)
    return tf.GPT2LMHeadModel(config)


def bert():
    tf = need("transformers")
    torch.manual_seed(0)
    config = tf.BertConfig(vocab_size=50, hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                           intermediate_size=64, max_position_embeddings=16, num_labels=3)
    return tf.BertForSequenceClassification(config)


def _images():
    return torch.randn(2, 3, 32, 32, generator=_generator())


def _tokens():
    ids = torch.randint(0, 50, (2, 8), generator=_generator())
    return {"input_ids": ids, "attention_mask": torch.ones_like(ids)}


CASES = [
    Case("resnet18", resnet18, _images, lambda: torch.tensor([3, 7])),
    Case("mobilenet_v3", mobilenet_v3, _images, lambda: torch.tensor([3, 7])),
    Case("vit", vit, _images, lambda: torch.tensor([3, 7])),
    Case("gpt2", gpt2, lambda: _tokens(), lambda: _tokens()["input_ids"], loss_fn=next_token_loss),
    Case("bert", bert, _tokens, lambda: torch.tensor([0, 2])),
]


def plain_gradients(model: torch.nn.Module, case: Case) -> dict[str, torch.Tensor]:
    """The reference: one plain forward, the same loss, loss.backward()."""
    from explorer.core.data.batches import call_model
    from explorer.core.live.losses import default_loss
    from explorer.core.outputs import select_output

    prediction = select_output(call_model(model, case.batch()), case.output)
    target = case.target()
    loss_fn = case.loss_fn or default_loss(prediction, target)[0]
    loss_fn(prediction, target).backward()
    return {n: p.grad.detach().clone() for n, p in model.named_parameters() if p.grad is not None}
