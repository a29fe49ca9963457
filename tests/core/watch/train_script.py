"""A user's training script with explorer.watch, run by the tests as a child process (plain or torchrun).

python train_script.py RUN_DIR STEPS [--ddp] [--print-flushed] [--every N] [--no-watch] [--save WEIGHTS.pt]
Under torchrun with --ddp: gloo process group, DistributedDataParallel, each rank its own data.
With --print-flushed: after every 5 steps, flushes and prints "flushed STEP" (the SIGKILL test reads it).
"""

import argparse
import os

import torch
import torch.nn.functional as F

import explorer
from explorer.core.net import Net


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("run_dir")
    parser.add_argument("steps", type=int)
    parser.add_argument("--ddp", action="store_true")
    parser.add_argument("--print-flushed", action="store_true")
    parser.add_argument("--every", type=int, default=None)
    parser.add_argument("--no-watch", action="store_true", help="the same loop unwatched, for comparison")
    parser.add_argument("--save", help="rank 0 saves the final weights here")
    args = parser.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(0)
    model = Net()
    rank = 0
    if args.ddp:
        import torch.distributed as dist

        dist.init_process_group("gloo")
        rank = dist.get_rank()
        model = torch.nn.parallel.DistributedDataParallel(model)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    watcher = None if args.no_watch else explorer.watch(model, args.run_dir, every=args.every)
    data = torch.Generator().manual_seed(100 + rank)  # each rank its own batches, as a DistributedSampler gives
    for step in range(1, args.steps + 1):
        x = torch.randn(4, 1, 32, 32, generator=data)
        y = torch.randn(4, 10, generator=data)
        optimizer.zero_grad()
        loss = F.mse_loss(model(x), y)
        loss.backward()
        optimizer.step()
        if watcher is not None:
            watcher.log(loss=loss)
        if watcher is not None and args.print_flushed and step % 5 == 0 and watcher.flush():
            print(f"flushed {step}", flush=True)
    if watcher is not None:
        watcher.close()
    if args.save and rank == 0:
        torch.save(model.state_dict(), args.save)
    if args.ddp:
        torch.distributed.destroy_process_group()
    print(f"done rank {rank} pid {os.getpid()}", flush=True)


if __name__ == "__main__":
    main()
