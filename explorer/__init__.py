"""explorer: watch a PyTorch network think and learn."""

__version__ = "0.1.0"
