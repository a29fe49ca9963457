"""The chain rule at every backward node: the rule written out, recomputed from the saved tensors, one element
worked through with its numbers, and a numeric check (see explain.explain_node and session_nodes)."""

from explorer.core.chain_rule.explain import explain_node
from explorer.core.chain_rule.explanation import NodeExplanation
from explorer.core.chain_rule.registry import RULES, has_rule, rule_for
from explorer.core.chain_rule.rule import NodeData, Rule

__all__ = ["RULES", "NodeData", "NodeExplanation", "Rule", "explain_node", "has_rule", "rule_for"]
