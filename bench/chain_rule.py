"""Chain rule view latency: inspecting a backward node with its explanation (engine-thread work), per node.

Every node of one forward + loss + backward is inspected (explorer.core.snapshot.inspect, which now works the
chain rule at the node), after one warm-up inspection that pays the process's one-off torch._dynamo import
(measured and printed too), then one pass over every node (each kind of op pays its own first-use costs), then
the pass that is measured per node. Then the numeric check alone (the *Check numerically* button) per node.

    .venv/bin/python bench/chain_rule.py [--batch-size 16] [--models seed,resnet,mlp]
"""

from __future__ import annotations

import argparse
import time

from _common import median, print_json, print_table


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--models", default="seed,resnet,mlp")
    args = parser.parse_args()
    from explorer.core.chain_rule.session_nodes import explain_session_node
    from explorer.core.moves import Move
    from explorer.core.session import SessionConfig, StepSession
    from explorer.core.snapshot import inspect

    rows, figures = [], {}
    for n, model in enumerate(args.models.split(",")):
        session = StepSession(SessionConfig(model=model, dataset="digits", batch_size=args.batch_size))
        for move in (Move.RUN_FORWARD, Move.LOSS, Move.RUN_BACKWARD):
            session.apply(move)
        steps = session.backward_steps
        began = time.perf_counter()
        inspect(session, "node", steps[1].node_id)
        first = time.perf_counter() - began
        began = time.perf_counter()
        for step in steps:  # first sight: each kind of op pays its own one-off costs (decompositions loaded)
            inspect(session, "node", step.node_id)
        first_pass = time.perf_counter() - began
        inspected, numeric = [], []
        for step in steps:
            began = time.perf_counter()
            inspect(session, "node", step.node_id)
            inspected.append(time.perf_counter() - began)
            began = time.perf_counter()
            explain_session_node(session, step.node_id, numeric=True)
            numeric.append(time.perf_counter() - began)
        slowest = steps[max(range(len(steps)), key=inspected.__getitem__)].cls
        rows.append([model, len(steps), first if n == 0 else "-", first_pass, median(inspected) * 1e3, max(inspected) * 1e3,
                     slowest, median(numeric) * 1e3, max(numeric) * 1e3])
        figures[model] = {"nodes": len(steps), "first_pass_s": first_pass, "inspect_median_ms": median(inspected) * 1e3,
                          "inspect_max_ms": max(inspected) * 1e3, "numeric_median_ms": median(numeric) * 1e3,
                          "numeric_max_ms": max(numeric) * 1e3}
        if n == 0:
            figures["first_inspection_s"] = first
    print_table(["model", "nodes", "first (s)", "first pass (s)", "inspect median (ms)", "max (ms)", "slowest", "with numeric median (ms)",
                 "max (ms)"], rows)
    print_json(figures)


if __name__ == "__main__":
    main()
