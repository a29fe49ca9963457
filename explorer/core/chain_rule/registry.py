"""Every written rule, keyed by the grad_fn class name it explains ('AddmmBackward0')."""

from __future__ import annotations

from explorer.core.chain_rule import activations, attention, conv_pool, elementwise, linear_algebra, losses, normalization, shapes
from explorer.core.chain_rule.rule import Rule

ACCUMULATE_GRAD = "AccumulateGrad"  # explained in explain.py: it has no inputs, it writes a leaf's .grad

_MODULES = (linear_algebra, shapes, elementwise, activations, losses, conv_pool, normalization, attention)

RULES: dict[str, Rule] = {cls: rule for module in _MODULES for rule in module.RULES for cls in rule.classes}


def rule_for(cls: str) -> Rule | None:
    return RULES.get(cls)


def has_rule(cls: str) -> bool:
    return cls == ACCUMULATE_GRAD or cls in RULES
