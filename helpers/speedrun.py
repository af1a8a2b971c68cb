"""Chapter 12's public recipe and data augmentation: the network and settings of the recipe the
speed run races, and the random shifts, turns and rescalings of its last section. The chapter
writes its own network and loop; ``benchmarks/speedrun.py`` holds the same network and loop for
running both recipes over seeds and the ablation.

The public recipe is "MNIST to 99% in 0.76 s" (github.com/tuomaso/train_mnist_fast, notebook
8_Final_00s76): two convolutions and two dense layers, batch 256, Adam (lr 0.01, betas (0.7, 0.9))
with a one-cycle schedule that leaves the betas alone, one epoch. Here it runs on the CPU in
``channels_last``, float32, on the same tensors and threads as the recipe.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

# The public recipe's settings, for the chapter's loop and the benchmark's.
PUBLIC = dict(epochs=1.0, batch_size=256, max_lr=1e-2, betas=(0.7, 0.9), label_smoothing=0.0,
              one_cycle=True, fused=False, bf16=False, channels_last=True, max_shift=0.0)


def public_cnn():
    """The public recipe's network: conv 5x5 to 24 channels -> max-pool 2 -> ReLU -> conv 3x3 to 32
    -> max-pool 2 -> ReLU -> dense 800 -> 256 -> ReLU -> dense 256 -> 10."""
    return nn.Sequential(
        nn.Conv2d(1, 24, 5), nn.MaxPool2d(2), nn.ReLU(),   # (24, 12, 12)
        nn.Conv2d(24, 32, 3), nn.MaxPool2d(2), nn.ReLU(),  # (32, 5, 5)
        nn.Flatten(), nn.Linear(800, 256), nn.ReLU(), nn.Linear(256, 10),
    )


def random_affine(X, max_shift, generator):
    """Each image of X (batch, 1, 28, 28) shifted by up to ``max_shift`` pixels, rotated by up to
    0.15 rad and scaled by up to 10%, with the background value filling the borders."""
    n = len(X)
    angle = (torch.rand(n, generator=generator) * 2 - 1) * 0.15
    scale = 1 + (torch.rand(n, generator=generator) * 2 - 1) * 0.1
    shift = (torch.rand(n, 2, generator=generator) * 2 - 1) * (2 * max_shift / 28)  # grid units
    cos, sin = scale * torch.cos(angle), scale * torch.sin(angle)
    theta = torch.stack([torch.stack([cos, -sin, shift[:, 0]], 1),
                         torch.stack([sin, cos, shift[:, 1]], 1)], 1)  # (batch, 2, 3)
    grid = F.affine_grid(theta, list(X.shape), align_corners=False)
    background = X.amin()
    return F.grid_sample(X - background, grid, align_corners=False) + background
