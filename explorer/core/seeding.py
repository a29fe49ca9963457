"""Every random choice in explorer takes a seed: the same seed gives the same numbers."""

import contextlib

import torch


def generator(seed: int) -> torch.Generator:
    """A CPU generator of its own, so that seeding one thing never disturbs another."""
    g = torch.Generator()
    g.manual_seed(int(seed))
    return g


@contextlib.contextmanager
def seeded_init(seed: int):
    """Module construction inside this block draws its initial weights from `seed`.

    nn.init uses torch's global generator; fork_rng restores it afterwards, so the caller's
    own random stream is left as it was.
    """
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(int(seed))
        yield
