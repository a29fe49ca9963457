"""What explorer.watch costs a user's loop, and how big its run store gets.

Throughput: a plain PyTorch loop (zero_grad, forward, cross-entropy, backward, SGD with momentum 0.9 step) on
the tutorial's Net and the digits data, with and without `explorer.watch(net, DIR)` plus `watcher.log(loss=loss)`
on every step, at batch 1, 16 and 64, on one torch thread. The same model and data alternate in ABBA rounds
of --seconds each: one watcher per batch size, paused (hooks removed) in the plain rounds, after a warm-up
watched round that paid the one-time costs (the first watched forward pass, SQLite's first open). The figure
is watched steps/s over plain steps/s over all rounds; goal >= 0.95 each. Beside it, the same ratio in steps
per CPU second of the whole process (the writer thread included): on a machine shared with other work, wall
time also counts the waits for a core, CPU time much less.

Store size: the records of the densest-sampled batch size
(its watched rounds' own records, as its store holds them) are written again, step numbers moved on, until
100,000 steps, through the same writer (with its thinning); the figure is the store's size on disk afterwards
(the database and its WAL file), measured, not extrapolated.

    .venv/bin/python bench/watch.py [--seconds 2] [--rounds 8] [--steps 100000]
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from _common import print_json, print_table  # noqa: E402

BATCHES = (1, 16, 64)


def run_round(net, optimizer, stream, loss_fn, seconds: float, watcher=None) -> tuple[int, float, float]:
    """(steps, wall seconds, CPU seconds of the whole process: the writer thread's work counts too)."""
    clock = time.perf_counter
    steps, began, cpu = 0, clock(), time.process_time()
    while True:
        x, y = stream.next()
        optimizer.zero_grad()
        loss = loss_fn(net(x), y)
        loss.backward()
        optimizer.step()
        if watcher is not None:
            watcher.log(loss=loss)
        steps += 1
        if steps % 8 == 0 and clock() - began >= seconds:
            return steps, clock() - began, time.process_time() - cpu


def measure_batch(batch: int, args, folder: Path):
    import torch

    import explorer
    from explorer.core.data.datasets import BatchStream, load_dataset
    from explorer.core.net import Net

    data = load_dataset("digits")
    torch.manual_seed(0)
    net = Net()
    optimizer = torch.optim.SGD(net.parameters(), lr=0.01, momentum=0.9)
    stream = BatchStream(data, batch, seed=0)
    totals = {"plain": [0, 0.0, 0.0], "watched": [0, 0.0, 0.0]}
    pairs = []
    run_round(net, optimizer, stream, data.loss_fn, 0.5)  # warm-up, plain
    warm = explorer.watch(net, folder / f"warm-{batch}")
    run_round(net, optimizer, stream, data.loss_fn, 0.5, warm)  # warm-up, watched: one-time costs
    warm.close()
    run_dir = folder / f"batch-{batch}"
    watcher = explorer.watch(net, run_dir)  # one watcher for the whole run, paused in the plain rounds
    watcher.pause()
    for r in range(args.rounds):
        order = ("plain", "watched") if r % 4 in (0, 3) else ("watched", "plain")
        rates = {}
        for kind in order:
            if kind == "watched":
                watcher.resume()
            steps, seconds, cpu = run_round(net, optimizer, stream, data.loss_fn, args.seconds,
                                            watcher if kind == "watched" else None)
            watcher.pause()
            totals[kind][0] += steps
            totals[kind][1] += seconds
            totals[kind][2] += cpu
            rates[kind] = steps / seconds
        pairs.append(rates["watched"] / rates["plain"])
    watcher.close()
    schedules = (watcher.schedule.every("stats"), watcher.schedule.every("diagnostics"))
    plain = totals["plain"][0] / totals["plain"][1]
    watched = totals["watched"][0] / totals["watched"][1]
    cpu_ratio = (totals["watched"][0] / totals["watched"][2]) / (totals["plain"][0] / totals["plain"][2])
    return plain, watched, min(pairs), max(pairs), schedules, run_dir, cpu_ratio


def store_size(run_dir: Path, steps: int, folder: Path) -> tuple[float, dict]:
    """Replay one watched round's records for `steps` steps; the store's size in MB afterwards."""
    from explorer.core.watch import schema
    from explorer.core.watch.store import RunWriter

    source = sqlite3.connect(run_dir / schema.rank_file_name(0))
    meta = dict(source.execute("SELECT key, value FROM meta"))
    loss = source.execute("SELECT step, value FROM scalars WHERE name='loss' ORDER BY step").fetchall()
    vectors = source.execute("SELECT kind, step, names, data FROM vectors ORDER BY step").fetchall()
    hists = source.execute("SELECT kind, step, names, data FROM histograms ORDER BY step").fetchall()
    source.close()
    span = loss[-1][0]
    out = folder / "replay"
    writer = RunWriter(out, 0, {k: v for k, v in meta.items() if k not in ("generation",)})
    counts = {"loss": 0, "vectors": 0, "histograms": 0}
    for offset in range(0, steps, span):
        for step, value in loss:
            if offset + step <= steps:
                writer.put(("scalar", "loss", offset + step, value))
                counts["loss"] += 1
        for kind, step, names, data in vectors:
            if offset + step <= steps:
                writer.put(("vector", kind, offset + step, names, data))
                counts["vectors"] += 1
        for kind, step, names, data in hists:
            if offset + step <= steps:
                writer.put(("histogram", kind, offset + step, names, data))
                counts["histograms"] += 1
        if offset // span % 20 == 0:
            writer.flush()
    writer.close()
    size = sum(f.stat().st_size for f in out.iterdir())
    return size / 1e6, {**counts, "round_steps": span}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=2.0, help="length of one round")
    parser.add_argument("--rounds", type=int, default=8, help="rounds of each kind per batch size (ABBA order)")
    parser.add_argument("--steps", type=int, default=100_000, help="steps the store-size replay writes")
    args = parser.parse_args()
    import torch

    torch.set_num_threads(1)
    print(f"torch {torch.__version__}, 1 thread, cpu count {os.cpu_count()}, load {os.getloadavg()[0]:.2f}")
    rows, ratios, cpu_ratios, densest = [], {}, {}, None
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for batch in BATCHES:
            plain, watched, lo, hi, schedules, last_run, cpu_ratio = measure_batch(batch, args, folder)
            ratio = watched / plain
            ratios[str(batch)] = round(ratio, 3)
            cpu_ratios[str(batch)] = round(cpu_ratio, 3)
            stats, diags = schedules
            rows.append([batch, plain, watched, ratio, cpu_ratio, f"{lo:.3f}..{hi:.3f}",
                         f"1 in {stats:.1f}" if stats else "-", f"1 in {diags:.0f}" if diags else "-"])
            density = 1 / stats if stats else 0
            if densest is None or density > densest[0]:
                densest = (density, batch, last_run)
        print_table(["batch", "plain steps/s", "watched steps/s", "ratio", "CPU-time ratio", "round pairs", "grad norms",
                     "histograms"], rows)
        mb, counts = store_size(densest[2], args.steps, folder)
        print(f"store after {args.steps:,} steps at batch {densest[1]}'s sampling (its watched run of "
              f"{counts['round_steps']:,} steps replayed): {mb:.2f} MB; rows written: {counts['loss']:,} losses, "
              f"{counts['vectors']:,} vectors, {counts['histograms']:,} histogram sets (thinned to the store's capacities)")
    # Only a measured size: the store thins itself, so a shorter replay says nothing about 100,000 steps.
    store = {"store_mb_per_100k": round(mb, 2)} if args.steps == 100_000 else {f"store_mb_per_{args.steps}": round(mb, 2)}
    print_json({"throughput_ratio": ratios, "cpu_time_ratio": cpu_ratios, **store})


if __name__ == "__main__":
    main()
