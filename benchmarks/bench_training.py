"""Training throughput (samples per second) of one 784-H-10 sigmoid MLP written three ways: NumPy
with a hand-written backward pass (helpers.backprop.MLP, chapters 4 and 6), PyTorch with autograd
and torch.optim.SGD (chapter 6, way 1), and PyTorch tensors with a hand-written backward pass,
autograd off (way 3)."""

import statistics

import numpy as np
import torch
import torch.nn.functional as F

from helpers.backprop import MLP
from helpers.data import load_mnist

from . import common

LR = 0.1


def numpy_way(hidden):
    mlp = MLP([784, hidden, 10], dtype=np.float32)  # the NumPy network of chapters 4 and 6
    return lambda X, y: mlp.step(mlp.backward(X, y), LR)


def torch_weights(hidden, requires_grad):
    g = torch.Generator().manual_seed(0)
    return [t.requires_grad_(requires_grad) for t in (torch.randn(784, hidden, generator=g) * 0.1,
            torch.zeros(hidden), torch.randn(hidden, 10, generator=g) * 0.1, torch.zeros(10))]


def autograd_way(hidden):
    W1, b1, W2, b2 = params = torch_weights(hidden, True)
    optimizer = torch.optim.SGD(params, lr=LR)

    def step(X, y):
        loss = F.cross_entropy(torch.sigmoid(X @ W1 + b1) @ W2 + b2, y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

    return step


def manual_way(hidden):
    W1, b1, W2, b2 = torch_weights(hidden, False)
    eye = torch.eye(10)

    @torch.no_grad()
    def step(X, y):
        a1 = torch.sigmoid(X @ W1 + b1)
        grad_logits = (torch.softmax(a1 @ W2 + b2, dim=1) - eye[y]) / len(X)
        grad_z1 = (grad_logits @ W2.T) * a1 * (1 - a1)
        W2.sub_(LR * (a1.T @ grad_logits))
        b2.sub_(LR * grad_logits.sum(0))
        W1.sub_(LR * (X.T @ grad_z1))
        b1.sub_(LR * grad_z1.sum(0))

    return step


def rates(step, X, y, batch, steps, repeats):
    """Samples per second of each of `repeats` runs of `steps` minibatch steps, after 10 warm-up steps."""
    starts = [(i * batch) % (len(X) - batch) for i in range(steps)]

    def run_steps(starts=starts):
        for s in starts:
            step(X[s:s + batch], y[s:s + batch])

    run_steps(starts[:10])
    return [steps * batch / seconds for seconds in common.repeat(run_steps, repeats)]


def run(repeats=3, steps=150):
    X, y = load_mnist("train")
    tensors = torch.from_numpy(X), torch.from_numpy(y)
    lines = [f"Samples per second, median (min-max) of {repeats} runs of {steps} steps, float32.", "",
             "| hidden | batch | NumPy `MLP` (ch. 4, 6) | PyTorch autograd + SGD (ch. 6, way 1) | "
             "PyTorch manual (way 3) | NumPy / autograd (medians) |", "|---:|---:|---:|---:|---:|---:|"]
    for hidden in (128, 1024):
        for batch in (64, 512):
            numpy_, autograd, manual = (rates(way(hidden), *data, batch, steps, repeats) for way, data in
                                        ((numpy_way, (X, y)), (autograd_way, tensors), (manual_way, tensors)))
            ratio = statistics.median(numpy_) / statistics.median(autograd)
            cells = [common.spread(r, "{:,.0f}") for r in (numpy_, autograd, manual)]
            lines.append(f"| {hidden} | {batch} | {' | '.join(cells)} | {ratio:.2f}x |")
            print(lines[-1], flush=True)
    return "\n".join(lines)
