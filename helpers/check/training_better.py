"""Checkers for the exercises of chapter 8 (training it better): He's initialisation, the signal
through a deep stack, and weight decay's factor."""

import math

import numpy as np
import torch
from torch import nn

from helpers.check.verdict import Wrong, call, checker


def _match(got, candidates, rtol=1e-9):
    """The hint of the first (value, hint) that `got` equals, or None."""
    return next((hint for value, hint in candidates if np.isclose(float(got), value, rtol=rtol)), None)


@checker
def he_std(std_of):
    """`std_of(layer)`: He's standard deviation for the weights of `layer`, an nn.Linear followed by
    a ReLU."""
    gain = nn.init.calculate_gain("relu")  # sqrt(2), PyTorch's own factor for ReLU layers
    for fan_in, fan_out in ((784, 1024), (1024, 10), (256, 256)):
        layer = nn.Linear(fan_in, fan_out, device="meta")
        got, expected = float(call(std_of, layer)), gain / math.sqrt(fan_in)
        if np.isclose(got, expected, rtol=1e-6):
            continue
        where = f"nn.Linear({fan_in}, {fan_out}): expected {expected:.4g}, got {got:.4g}"
        hint = _match(got, [
            (math.sqrt(2 / fan_out), "fan_out used where He's rule takes fan_in (in_features; nn.Linear "
                                     "stores its weight as (fan_out, fan_in), so it is weight.shape[1])"),
            (math.sqrt(1 / fan_in), "missing the factor 2: it makes up for the ReLU zeroing about half "
                                    "the units"),
            (2 / fan_in, "that is the variance 2 / fan_in: take its square root"),
            (math.sqrt(2 / (fan_in + fan_out)), "that is Glorot's std, sqrt(2 / (fan_in + fan_out)); "
                                                "He's takes fan_in only"),
        ])
        raise Wrong(f"{where}: {hint}" if hint else where)
    return "nn.Linear(784, 1024): std 0.0505"


@checker
def activation_stds(stds_of):
    """`stds_of(std)`: the standard deviations of the activations after each of 10 Linear(256, 256) +
    ReLU layers (weights normal with that std, biases zero) for a batch of standard normal inputs."""
    he = math.sqrt(2 / 256)
    runs = {}
    for std in (he, 0.01, 0.1):
        got = np.asarray(call(stds_of, std), dtype=float).ravel()
        if got.shape != (10,):
            extra = ": the input's std included?" if got.shape == (11,) else ""
            raise Wrong(f"std {std:.4g}: {got.size} values where 10 (one per layer) were expected{extra}")
        if not np.all(np.isfinite(got)) or np.any(got < 0):
            raise Wrong(f"std {std:.4g}: the values must be finite and non-negative, got {got}")
        runs[std] = got[-1] / got[0] if got[0] > 0 else np.inf
    if 0.2 < runs[he] < 0.5 and 0.5 < runs[0.1] < 1.5:
        raise Wrong(f"with He's std the signal shrinks to {runs[he]:.3g} of its size from layer 1 to 10, "
                    "about 0.88 per layer: a normal truncated at 2 std has an std of 0.88 times the one "
                    "asked for; use torch.randn(...) * std")
    if runs[he] > 10:
        raise Wrong(f"with He's std the signal grows {runs[he]:.3g}-fold from layer 1 to 10, where it should "
                    "stay at about the same scale: is the ReLU missing? Without it the factor 2 doubles "
                    "the variance at every layer")
    if not 0.5 < runs[he] < 2:
        raise Wrong(f"with He's std the signal changes {runs[he]:.3g}-fold from layer 1 to 10, where it "
                    "should stay at about the same scale: weights normal with std sqrt(2 / 256), ReLU after "
                    "every layer?")
    if not runs[0.01] < 1e-6:
        raise Wrong(f"with std 0.01 the signal shrinks only {1 / runs[0.01]:.3g}-fold from layer 1 to 10, "
                    "where it should vanish (each layer multiplies it by about 0.11): weights multiplied "
                    "by std?")
    if not 1.5 < runs[0.1] < 6:
        raise Wrong(f"with std 0.1 the signal changes {runs[0.1]:.3g}-fold from layer 1 to 10, where it "
                    "should grow about 3-fold (1.13 per layer)")
    return "He keeps the scale, 0.01 vanishes, 0.1 grows"


@checker
def shrink_factor(factor):
    """`factor`: what one step of SGD with learning rate 0.5 and weight_decay 1e-2 multiplies the
    weights by, before the gradient step."""
    weight = torch.ones(1, requires_grad=True)  # a zero gradient: what is left of the step is the decay
    weight.grad = torch.zeros(1)
    torch.optim.SGD([weight], lr=0.5, weight_decay=1e-2).step()
    expected = round(weight.item(), 6)  # 1 - 0.5 * 0.01, from float32
    got = float(factor)
    if np.isclose(got, expected, rtol=1e-6):
        return f"1 - lr * weight_decay = {expected:g}"
    hint = _match(got, [
        (0.5 * 1e-2, "that is lr * weight_decay, the fraction taken off; the factor is 1 minus it"),
        (1 - 1e-2, "the learning rate is missing: the decay is scaled by it like the rest of the step"),
        (1 - 0.5 * 1e-2 / 2, "the 1/2 of the penalty (lambda / 2) ||theta||^2 cancels in its gradient "
                             "lambda theta"),
        (expected ** 200, "that is the shrink over all 200 steps; the question asks for one step"),
    ], rtol=1e-6)
    where = f"expected {expected:g}, got {got:g}"
    raise Wrong(f"{where}: {hint}" if hint else where)
