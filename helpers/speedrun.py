"""The speed run of chapter 11: the course's recipe and the public recipe it is measured against,
both trained by one loop on MNIST tensors in memory. The chapter writes the recipe's network and
loop out; ``benchmarks/speedrun.py`` imports them from here to run both over seeds and to change
the recipe one setting at a time.

The public recipe is "MNIST to 99% in 0.76 s" (github.com/tuomaso/train_mnist_fast, notebook
8_Final_00s76): two convolutions and two dense layers, batch 256, Adam (lr 0.01, betas (0.7, 0.9))
with a one-cycle schedule that leaves the betas alone, one epoch. Here it runs on the CPU in
``channels_last``, float32, on the same tensors and threads as the recipe.
"""

from __future__ import annotations

import math
import time

import torch
import torch.nn.functional as F
from torch import nn

# The course's recipe, named as in the chapter.
RECIPE = dict(channels=(16, 32), batch_norm=True, crop=2, stride=1, epochs=1.0, batch_size=256,
              max_lr=4e-2, betas=(0.9, 0.99), label_smoothing=0.1, one_cycle=True, fused=True,
              bf16=False, channels_last=True, max_shift=0.0)

# The public recipe's settings, trained by the same loop.
PUBLIC = dict(epochs=1.0, batch_size=256, max_lr=1e-2, betas=(0.7, 0.9), label_smoothing=0.0,
              one_cycle=True, fused=False, bf16=False, channels_last=True, max_shift=0.0)


def speedrun_cnn(channels=(16, 32), batch_norm=True, crop=2, stride=1):
    """[crop] -> conv 5x5 (stride 2, or stride 1 and max-pool 2) -> [batch norm] -> ReLU -> conv 5x5
    -> max-pool 2 -> [batch norm] -> ReLU -> linear to 10 logits. ``crop`` pixels are cut from each
    border (a negative padding); the first convolution's stride 2 does the pooling's down-sampling."""
    c1, c2 = channels
    norm = nn.BatchNorm2d if batch_norm else (lambda c: nn.Identity())
    side = (28 - 2 * crop - 4) // 2  # after the first convolution: 10 from 24, 12 from 28
    first = ([nn.Conv2d(1, c1, 5, stride=2, bias=not batch_norm)] if stride == 2
             else [nn.Conv2d(1, c1, 5, bias=not batch_norm), nn.MaxPool2d(2)])
    last = (side - 4) // 2  # after the second convolution and pooling: 3 from 10, 4 from 12
    return nn.Sequential(
        nn.ZeroPad2d(-crop), *first, norm(c1), nn.ReLU(),                        # (c1, side, side)
        nn.Conv2d(c1, c2, 5, bias=not batch_norm), nn.MaxPool2d(2), norm(c2), nn.ReLU(),  # (c2, last, last)
        nn.Flatten(), nn.Linear(c2 * last * last, 10),
    )


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


def train(model, X, y, *, epochs, batch_size, max_lr, betas, label_smoothing, one_cycle=True,
          fused=False, bf16=False, max_shift=0.0, generator=None):
    """Adam over ``epochs`` (may be fractional) passes of in-memory tensors, with a one-cycle
    schedule that rises to ``max_lr`` and leaves Adam's betas alone, or at the constant rate
    ``max_lr``; returns the training seconds, first optimizer step to last."""
    optimizer = torch.optim.Adam(model.parameters(), lr=max_lr, betas=betas, fused=fused or None)
    n = len(X)
    steps = math.ceil(epochs * n / batch_size)
    schedule = (torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=max_lr, total_steps=steps,
                                                    cycle_momentum=False) if one_cycle else None)
    order = torch.cat([torch.randperm(n, generator=generator) for _ in range(math.ceil(epochs))])
    model.train()
    start = time.perf_counter()
    for step in range(steps):
        idx = order[step * batch_size:(step + 1) * batch_size]
        X_batch, y_batch = X[idx], y[idx]  # (batch, 1, 28, 28), (batch,)
        if max_shift:
            X_batch = random_affine(X_batch, max_shift, generator)
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
            loss = F.cross_entropy(model(X_batch), y_batch, label_smoothing=label_smoothing)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        if schedule is not None:
            schedule.step()
    return time.perf_counter() - start
