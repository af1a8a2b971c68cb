"""Checkers for the exercises of chapter 12 (a speed run): the one-cycle schedule, the learning rate
of a larger batch, and what wider networks cost in FLOPs."""

import functools
import math
import warnings

import numpy as np
import torch

from helpers.check.verdict import NotAttempted, Wrong, call, checker, name_the_mistake


@functools.cache
def _torch_one_cycle(total_steps, max_lr):
    """The learning rate at every step 0 ... total_steps - 1 of torch's OneCycleLR, with its defaults."""
    optimizer = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=max_lr)
    scheduler = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=max_lr, total_steps=total_steps)
    rates = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for _ in range(total_steps):
            rates.append(optimizer.param_groups[0]["lr"])
            optimizer.step()
            scheduler.step()
    rates = np.array(rates)
    rates.flags.writeable = False  # cached: shared by every call
    return rates


def _one_cycle_variant(step, total_steps, max_lr, *, anneal="cos", start=None, end=None, warm_end=None,
                       warm_share=0.3):
    """The schedule with one of the usual slips: a linear anneal, another start or end, another peak."""
    start = max_lr / 25 if start is None else start
    end = max_lr / 25 / 1e4 if end is None else end
    warm_end = warm_share * total_steps - 1 if warm_end is None else warm_end
    if step <= warm_end:
        a, b, p = start, max_lr, step / warm_end
    else:
        a, b, p = max_lr, end, (step - warm_end) / (total_steps - 1 - warm_end)
    if anneal == "linear":
        return a + (b - a) * p
    return b + (a - b) / 2 * (1 + math.cos(math.pi * p))


@checker
def one_cycle_lr(lr_at):
    """`lr_at(step, total_steps, max_lr)`: the learning rate of torch's OneCycleLR at that step."""
    cases = [(469, 2e-2, (0, 70, 139, 140, 141, 300, 468)), (100, 0.1, (0, 10, 29, 30, 64, 99))]
    for total, max_lr, steps in cases:
        reference = _torch_one_cycle(total, max_lr)
        got = np.array([float(call(lr_at, step, total, max_lr)) for step in steps])
        expected = reference[list(steps)]
        if np.allclose(got, expected, rtol=1e-6, atol=1e-12):
            continue
        i = int(np.argmax(~np.isclose(got, expected, rtol=1e-6, atol=1e-12)))
        where = (f"step {steps[i]} of {total}, max_lr {max_lr}: expected {expected[i]:.6g}, "
                 f"got {got[i]:.6g}")
        slips = [({"anneal": "linear"}, "a straight line: both phases follow half a cosine"),
                 ({"start": 0.0}, "starts at 0: the schedule starts at max_lr / 25"),
                 ({"end": 0.0}, "ends at 0: the schedule ends at max_lr / 25 / 10^4"),
                 ({"warm_end": 0.3 * total}, "the rise ends one step late: at step 0.3 T - 1"),
                 ({"warm_share": 0.5}, "the peak at half-way: the rise takes the first 30% of the steps")]
        for options, hint in slips:
            variant = np.array([_one_cycle_variant(s, total, max_lr, **options) for s in steps])
            if np.allclose(got, variant, rtol=1e-6, atol=1e-12):
                raise Wrong(f"{where}: {hint}")
        if np.allclose(got, max_lr, rtol=1e-9):
            raise Wrong(f"{where}: a constant learning rate: the schedule rises and falls")
        raise Wrong(where)
    return "equal to torch's OneCycleLR at every step tried"


@checker
def scaled_lr(scale):
    """`scale(lr, batch_size, new_batch_size)`: the learning rate for the new batch size by the linear
    scaling rule."""
    for lr, batch, new in ((2e-2, 128, 512), (0.1, 256, 64), (1e-3, 32, 256)):
        got = float(call(scale, lr, batch, new))
        expected = lr * new / batch
        if np.isclose(got, expected, rtol=1e-9):
            continue
        where = f"lr {lr} at batch {batch}, new batch {new}: expected {expected:.6g}, got {got:.6g}"
        hints = [(lr, "unchanged: a batch k times larger takes k times fewer steps, so each step "
                      "should go k times as far"),
                 (lr * batch / new, "the ratio upside down: a larger batch gets a larger learning rate"),
                 (lr * math.sqrt(new / batch), "that is the square-root rule; the linear rule multiplies "
                                               "by the ratio of the batch sizes itself"),
                 (lr * new, "multiplied by the new batch size: multiply by new / old")]
        name_the_mistake(got, where, hints)
    return "batch 512: 0.08 from 0.02 at batch 128"


def _conv_flops(c_in, c_out, n_out, k=5):
    return 2 * c_in * k * k * c_out * n_out * n_out


def _forward_flops(c1, c2, side=24, stride=1):
    """Forward FLOPs per image of the chapter's network: conv(1->c1) on a side x side image (stride 2,
    or stride 1 and a pool), conv(c1->c2), pool, dense 10. The recipe crops to 24, stride 1."""
    first = (side - 5) // stride + 1
    second = (side - 4) // 2 - 4
    return [_conv_flops(1, c1, first), _conv_flops(c1, c2, second), 2 * c2 * (second // 2) ** 2 * 10]


def _training_flops(c1, c2, **geometry):
    forward = _forward_flops(c1, c2, **geometry)
    return 3 * sum(forward) - forward[0]


@checker
def wider_flops_ratios(ratios):
    """`ratios`: {(24, 48): ..., (32, 64): ...}, the training FLOPs per image of each pair of widths
    divided by those of the recipe's (16, 32), all on the recipe's 24 x 24 crop."""
    if not isinstance(ratios, dict) or set(ratios) != {(24, 48), (32, 64)}:
        raise Wrong("give a dict with the keys (24, 48) and (32, 64): {(24, 48): ..., (32, 64): ...}")
    if any(value is None or value is Ellipsis for value in ratios.values()):
        raise NotAttempted
    for widths, got in ratios.items():
        expected = _training_flops(*widths) / _training_flops(16, 32)
        if np.isclose(got, expected, rtol=1e-3):
            continue
        where = f"widths {widths}: expected {expected:.3f} times the recipe's FLOPs, got {float(got):.3f}"
        hints = [(sum(_forward_flops(*widths)) / sum(_forward_flops(16, 32)),
                  "the forward pass only: count training FLOPs, 3 x the forward minus the first layer's"),
                 (widths[0] * widths[1] / (16 * 32),
                  "the ratio of the width products: only the second convolution grows like c1 x c2"),
                 (_training_flops(*widths, side=28) / _training_flops(16, 32, side=28),
                  "full 28 x 28 images: count the recipe's crop to 24 x 24"),
                 (1 / expected, "upside down: the wider network over the recipe's")]
        for value, hint in hints:
            if np.isclose(got, value, rtol=1e-3):
                raise Wrong(f"{where}: {hint}")
        raise Wrong(f"{where} (compute it with training_flops, without rounding)")
    ratios = [_training_flops(*w) / _training_flops(16, 32) for w in ((24, 48), (32, 64))]
    return f"{ratios[0]:.2f} and {ratios[1]:.2f} times the recipe's FLOPs"
