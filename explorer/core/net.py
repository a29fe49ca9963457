"""The network of the PyTorch "Neural Networks" tutorial (Chinese edition), exactly as the page defines it.

fc1 is 400 -> 1200 (the page's own choice, not the 120 of the English edition).
"""

import torch.nn as nn
import torch.nn.functional as F


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        # 1 input channel (a grey image), 6 output channels, 5x5 kernels
        self.conv1 = nn.Conv2d(1, 6, 5)
        self.conv2 = nn.Conv2d(6, 16, 5)
        # affine layers: y = Wx + b
        self.fc1 = nn.Linear(16 * 5 * 5, 1200)
        self.fc2 = nn.Linear(1200, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, x):
        # 2x2 max pooling over the ReLU of each convolution
        x = F.max_pool2d(F.relu(self.conv1(x)), (2, 2))
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = x.view(-1, self.num_flat_features(x))
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        x = self.fc3(x)
        return x

    def num_flat_features(self, x):
        size = x.size()[1:]  # every dimension but the batch
        num_features = 1
        for s in size:
            num_features *= s
        return num_features
