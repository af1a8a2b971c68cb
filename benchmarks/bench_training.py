"""Training throughput (samples per second) of the same sigmoid MLP written three ways:

- NumPy, hand-written forward and backward (chapter 4),
- PyTorch with autograd and torch.optim.SGD (chapter 6, way 1),
- PyTorch tensors with hand-written backward, autograd off (chapter 6, way 3),

at batch 64 and 512, with 128 and 1024 hidden units. Run: python benchmarks/bench_training.py
"""

from __future__ import annotations

import statistics
import time

import numpy as np
import torch
import torch.nn.functional as F

from helpers.data import load_mnist

STEPS = 150  # timed steps per measurement (after warm-up)
REPEATS = 3
LR = 0.1


def numpy_sgd_step(params, X, y_onehot):
    W1, b1, W2, b2 = params
    z1 = X @ W1 + b1  # (batch, 784) @ (784, hidden)
    a1 = 1 / (1 + np.exp(-z1))
    logits = a1 @ W2 + b2  # (batch, hidden) @ (hidden, 10)
    p = np.exp(logits - logits.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    grad_logits = (p - y_onehot) / len(X)
    grad_W2 = a1.T @ grad_logits
    grad_b2 = grad_logits.sum(axis=0)
    grad_z1 = (grad_logits @ W2.T) * a1 * (1 - a1)
    grad_W1 = X.T @ grad_z1
    grad_b1 = grad_z1.sum(axis=0)
    for param, grad in zip(params, (grad_W1, grad_b1, grad_W2, grad_b2)):
        param -= LR * grad


def make_numpy(hidden):
    rng = np.random.default_rng(0)
    params = [rng.normal(0, 0.1, (784, hidden)).astype(np.float32), np.zeros(hidden, np.float32),
              rng.normal(0, 0.1, (hidden, 10)).astype(np.float32), np.zeros(10, np.float32)]
    eye = np.eye(10, dtype=np.float32)
    return lambda X, y: numpy_sgd_step(params, X, eye[y])


def make_torch_autograd(hidden):
    g = torch.Generator().manual_seed(0)
    W1 = (torch.randn(784, hidden, generator=g) * 0.1).requires_grad_()
    b1 = torch.zeros(hidden, requires_grad=True)
    W2 = (torch.randn(hidden, 10, generator=g) * 0.1).requires_grad_()
    b2 = torch.zeros(10, requires_grad=True)
    optimizer = torch.optim.SGD([W1, b1, W2, b2], lr=LR)

    def step(X, y):
        logits = torch.sigmoid(X @ W1 + b1) @ W2 + b2
        loss = F.cross_entropy(logits, y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

    return step


def make_torch_manual(hidden):
    g = torch.Generator().manual_seed(0)
    W1, b1 = torch.randn(784, hidden, generator=g) * 0.1, torch.zeros(hidden)
    W2, b2 = torch.randn(hidden, 10, generator=g) * 0.1, torch.zeros(10)
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


def throughput(step, X, y, batch):
    """Median samples per second over REPEATS runs of STEPS consecutive minibatch steps."""
    n = len(X)
    starts = [(i * batch) % (n - batch) for i in range(STEPS)]
    for s in starts[:10]:  # warm-up: allocations, thread pools
        step(X[s:s + batch], y[s:s + batch])
    rates = []
    for _ in range(REPEATS):
        t0 = time.perf_counter()
        for s in starts:
            step(X[s:s + batch], y[s:s + batch])
        rates.append(STEPS * batch / (time.perf_counter() - t0))
    return statistics.median(rates)


def run():
    X_np, y_np = load_mnist("train")
    X_t, y_t = torch.from_numpy(X_np), torch.from_numpy(y_np)
    rows = []
    for hidden in (128, 1024):
        for batch in (64, 512):
            numpy_rate = throughput(make_numpy(hidden), X_np, y_np, batch)
            autograd_rate = throughput(make_torch_autograd(hidden), X_t, y_t, batch)
            manual_rate = throughput(make_torch_manual(hidden), X_t, y_t, batch)
            rows.append((hidden, batch, numpy_rate, autograd_rate, manual_rate))
            print(f"hidden {hidden:>4}  batch {batch:>3}:  NumPy {numpy_rate:>9,.0f}  "
                  f"PyTorch autograd {autograd_rate:>9,.0f}  PyTorch manual {manual_rate:>9,.0f} "
                  f" samples/s", flush=True)
    lines = [
        "| hidden | batch | NumPy (ch. 4) | PyTorch autograd + SGD (ch. 6, way 1) | "
        "PyTorch manual (way 3) | NumPy / autograd |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    for hidden, batch, a, b, c in rows:
        lines.append(f"| {hidden} | {batch} | {a:,.0f} | {b:,.0f} | {c:,.0f} | {a / b:.2f}x |")
    return "\n".join(lines), rows


if __name__ == "__main__":
    print(f"float32, 784-H-10 sigmoid MLP, samples per second (median of {REPEATS} x {STEPS} steps), "
          f"{torch.get_num_threads()} torch threads\n")
    table, _ = run()
    print()
    print(table)
