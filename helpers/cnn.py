"""The buffed CNN that the CNN chapter builds (after the reference R7), for the benchmarks and the
chapters after it: the data-parallel chapter trains it with DDP."""

from __future__ import annotations

from torch import nn


def buffed_cnn(hidden=64, dropout=0.5):
    """conv 5x5 32 -> max-pool 2 -> ReLU -> conv 5x5 64 -> max-pool 2 -> ReLU -> dense ``hidden``
    -> ReLU -> dropout -> 10 logits, for (batch, 1, 28, 28) images."""
    return nn.Sequential(
        nn.Conv2d(1, 32, kernel_size=5),  # (32, 24, 24)
        nn.MaxPool2d(2),  # (32, 12, 12)
        nn.ReLU(),
        nn.Conv2d(32, 64, kernel_size=5),  # (64, 8, 8)
        nn.MaxPool2d(2),  # (64, 4, 4)
        nn.ReLU(),
        nn.Flatten(),  # (1024,)
        nn.Linear(64 * 4 * 4, hidden),
        nn.ReLU(),
        nn.Dropout(dropout),
        nn.Linear(hidden, 10),
    )
