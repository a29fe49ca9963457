"""Small models more than one test file builds: one definition each, imported where needed."""

from torch import nn


class OtherNet(nn.Module):
    """Shares some names with the tutorial's Net: conv2 has other shapes, fc3 is gone, head is new. A checkpoint
    of it must be refused by the tutorial's Net with every difference named (2 missing, 2 unexpected, 2 shapes)."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, 5)
        self.conv2 = nn.Conv2d(6, 8, 3)
        self.fc1 = nn.Linear(400, 1200)
        self.fc2 = nn.Linear(1200, 84)
        self.head = nn.Linear(84, 2)
