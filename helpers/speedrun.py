"""The speed-run recipe of the speed-run chapter: a small CNN trained to 99% test accuracy on MNIST
in about one epoch on a CPU. The chapter writes the loop out; ``benchmarks/speedrun.py`` imports
it from here to run the recipe over seeds and to remove each trick in turn.
"""

from __future__ import annotations

import math
import time

import torch
import torch.nn.functional as F
from torch import nn

# The recipe's settings, named as in the chapter.
RECIPE = dict(channels=(16, 32), batch_norm=True, epochs=1.0, batch_size=128, max_lr=2e-2,
              betas=(0.9, 0.99), label_smoothing=0.1, one_cycle=True, bf16=False, channels_last=True,
              max_shift=0.0)


def speedrun_cnn(channels=(16, 32), batch_norm=True):
    """conv 5x5 -> max-pool 2 -> [batch norm] -> ReLU, twice, then one linear layer to 10 logits.
    Batch norm sits after the pooling, on a quarter of the values, as the ReLU does."""
    c1, c2 = channels
    norm = nn.BatchNorm2d if batch_norm else (lambda c: nn.Identity())
    return nn.Sequential(
        nn.Conv2d(1, c1, 5, bias=not batch_norm), nn.MaxPool2d(2), norm(c1), nn.ReLU(),   # (c1, 12, 12)
        nn.Conv2d(c1, c2, 5, bias=not batch_norm), nn.MaxPool2d(2), norm(c2), nn.ReLU(),  # (c2, 4, 4)
        nn.Flatten(), nn.Linear(c2 * 4 * 4, 10),
    )


def bf16_supported() -> bool:
    """Whether this CPU has bfloat16 instructions (AVX512-BF16 or AMX). Without them, autocast to
    bfloat16 is emulated and many times slower than float32; with them it may still be slower."""
    try:
        return bool(torch.ops.mkldnn._is_mkldnn_bf16_supported())
    except (AttributeError, RuntimeError):
        return False


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
          bf16=False, max_shift=0.0, generator=None):
    """Adam with a one-cycle schedule over ``epochs`` (may be fractional) passes of in-memory
    tensors; returns the training seconds, first optimizer step to last."""
    optimizer = torch.optim.Adam(model.parameters(), lr=max_lr if one_cycle else 1e-3, betas=betas)
    n = len(X)
    steps = math.ceil(epochs * n / batch_size)
    schedule = (torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=max_lr, total_steps=steps)
                if one_cycle else None)
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

