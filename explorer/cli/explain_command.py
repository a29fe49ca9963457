"""`explorer explain`: the chain rule at one node, or every node, of one forward + loss + backward."""

from __future__ import annotations

import argparse
import json

from explorer.cli import CLIError
from explorer.cli.model_options import add_eval_option
from explorer.core.chain_rule.explanation import NodeExplanation
from explorer.core.chain_rule.one_pass import explain_pass, in_float64, run_pass
from explorer.core.data.datasets import DATASETS
from explorer.core.session import SessionConfig, StepSession

LISTED = 4

LABELS = {
    "en": {"rule": "rule", "no_rule": "no written rule", "saved": "saved tensors", "none": "none",
           "recompute": "recomputed from the rule", "max_diff": "largest difference from autograd",
           "worked": "worked element", "rest": "the other {0} terms", "numeric": "numeric check",
           "local": "the loss as this node sees it: Σ dL/dy · y(x)", "loss": "the model's loss, rerun in float64",
           "relative": "relative error", "kink": "a corner: one-sided slopes {0:.6g} and {1:.6g}", "from": "from",
           "used": "used by the rule", "note": "note", "problem": "problem", "autograd": "autograd"},
    "zh_CN": {"rule": "规则", "no_rule": "没有写出的规则", "saved": "保存的张量", "none": "无",
              "recompute": "按规则重新计算", "max_diff": "与自动求导结果的最大差",
              "worked": "逐项算出的元素", "rest": "其余 {0} 项", "numeric": "数值检查",
              "local": "这个节点看到的损失：Σ dL/dy · y(x)", "loss": "模型的损失，以 float64 重新计算",
              "relative": "相对误差", "kink": "拐点：单侧斜率为 {0:.6g} 和 {1:.6g}", "from": "来自",
              "used": "规则使用", "note": "说明", "problem": "问题", "autograd": "自动求导"},
}


def add_parser(subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "explain",
        help="the chain rule at each backward node, with its own numbers",
        description="Run one forward pass, the loss and backward, and show for one node or every node its rule, "
        "its saved tensors, one element worked through, the rule's recomputation against autograd and a "
        "numeric check.",
    )
    parser.add_argument("--model", default="seed", help="built-in model (seed, resnet, mlp) or FILE.py:Class (default: seed)")
    parser.add_argument("--model-kwargs", default="", metavar="JSON", help="the model's constructor arguments as a JSON object")
    parser.add_argument("--input-shape", default="", metavar="C,H,W", help="one sample's shape (default: the model's or the data's)")
    parser.add_argument("--dataset", default="digits", help=f"one of {', '.join(DATASETS)}, mnist:DIR or folder:DIR (default: digits)")
    parser.add_argument("--batch-size", type=int, default=2, help="default: 2")
    parser.add_argument("--seed", type=int, default=0, help="weights and batch (default: 0)")
    add_eval_option(parser)
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--node", metavar="N", help="a backward step number (1 = the first node backward ran) or a node id (n3)")
    which.add_argument("--all", action="store_true", help="every node (the default)")
    parser.add_argument("--float64", action="store_true", help="run the pass in float64 (float32 rounding then stays out of the differences)")
    parser.add_argument("--no-numeric", action="store_true", help="skip the numeric checks")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument("--lang", choices=("en", "zh_CN"), default="en", help="language of the text (default: en)")
    parser.set_defaults(run=run)
    return parser


def run(args: argparse.Namespace) -> int:
    if args.batch_size < 1:
        raise CLIError(f"--batch-size must be at least 1, got {args.batch_size}")
    config = SessionConfig(model=args.model, model_kwargs=args.model_kwargs, input_shape=args.input_shape,
                           dataset=args.dataset, batch_size=args.batch_size, seed=args.seed, eval_mode=args.eval)
    try:
        session = StepSession(config)
    except Exception as exc:  # a model or data set that does not load or fit: one line, no traceback
        raise CLIError(f"cannot open model {args.model!r} with dataset {args.dataset!r}: {exc}") from None
    if args.float64:
        in_float64(session)
    run_pass(session)
    try:
        explained = explain_pass(session, node=args.node, numeric=not args.no_numeric)
    except Exception as exc:
        raise CLIError(str(exc).strip("'\"")) from None
    if args.format == "json":
        payload = {"model": args.model, "dataset": args.dataset, "batch_size": args.batch_size,
                   "dtype": "float64" if args.float64 else "float32", "loss": float(session.loss.detach()),
                   "nodes": [e.to_json() for e in explained]}
        print(json.dumps(payload, ensure_ascii=False, indent=1, default=_plain))
    else:
        print("\n\n".join(describe(e, args.lang) for e in explained))
    return 0


def _plain(value):
    return float(value) if isinstance(value, (int, float)) else str(value)


def describe(e: NodeExplanation, lang: str = "en") -> str:
    t = LABELS[lang]
    zh = lang == "zh_CN"
    where = e.param or e.module
    head = f"[{'' if e.step is None else e.step + 1}] {e.node_id} {e.cls}" + (f" ({where})" if where else "")
    lines = [head, f"  {t['rule'] if e.has_rule else t['no_rule']}:"]
    lines += [f"    {line}" for line in (e.rule_zh if zh else e.rule_en)]
    if e.input_note:
        lines.append(f"  {t['note']}: {e.input_note[1] if zh else e.input_note[0]}")
    tensors = [s for s in e.saved if s.shape is not None]
    lines.append(f"  {t['saved']}: " + (t["none"] if not tensors else ""))
    for s in tensors:
        source = f"  {t['from']} {s.produced_by}" if s.produced_by else ""
        lines.append(f"    _saved_{s.name}  {list(s.shape)}{source}" + (f"  ({t['used']})" if s.used else ""))
    if e.checks:
        lines.append(f"  {t['recompute']}:")
        for c in e.checks:
            diff = "-" if c.max_abs_diff is None else f"{c.max_abs_diff:.3g} ({t['relative']} {c.relative:.3g})"
            lines.append(f"    dL/d{c.name}  {list(c.shape)}  |g| = {c.norm:.4g}   {t['max_diff']}: {diff}")
    if e.worked:
        lines.append(f"  {t['worked']}: {worked_text(e)}")
    if e.numeric:
        n = e.numeric
        kind = t["loss"] if n.kind == "loss" else t["local"]
        lines.append(f"  {t['numeric']} ({kind}): (L(x+ε) − L(x−ε)) / 2ε = {n.value:.6g}, {t['autograd']} {n.autograd:.6g}, "
                     f"{t['relative']} {n.relative:.2g}, ε = {n.eps:.0e}" + (("; " + t["kink"].format(n.left, n.right)) if n.kink else ""))
    if e.problem:
        lines.append(f"  {t['problem']}: {e.problem}")
    return "\n".join(lines)


def worked_text(e: NodeExplanation) -> str:
    """dL/dx[0, 3] = Σ dL/dy[j] · ∂y[j]/∂x[0, 3] = 0.012 × 0.31 + (−0.004) × 0.08 + … = 0.0041"""
    w = e.worked
    name = w.name.split(" ")[0]
    index = ", ".join(str(i) for i in w.index)
    if e.cls == "AccumulateGrad":
        return f"{e.param}.grad[{index}] = {w.rest_sum:.4g} + {w.terms[0].grad:.4g} = {w.total:.6g}"
    terms = " + ".join(f"{_n(t.grad)} × {_n(t.factor)}" for t in w.terms) or "0"
    rest = f" + ({w.rest_count} more: {_n(w.rest_sum)})" if w.rest_count else ""
    return (f"dL/d{name}[{index}] = Σⱼ dL/dy[j] · ∂y[j]/∂{name}[{index}] = {terms}{rest} = {w.total:.6g}"
            f"   (autograd: {w.autograd:.6g})")


def _n(value: float) -> str:
    text = f"{value:.4g}"
    return f"({text})" if value < 0 else text
